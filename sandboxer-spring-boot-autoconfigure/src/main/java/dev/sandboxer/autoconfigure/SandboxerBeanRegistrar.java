package dev.sandboxer.autoconfigure;

import java.util.Arrays;

import dev.sandboxer.AsyncSandboxer;
import dev.sandboxer.Sandboxer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link Sandboxer} and one {@link AsyncSandboxer} bean per entry of {@code sandboxer.providers},
 * qualified by the entry's name, the default entry's {@code @Primary}. Both are views of the {@link Sandboxers}
 * registry, which stays the one owner of the clients.
 * <p>
 * An application replaces an entry's client by declaring a bean named {@code <entry>Sandboxer}; the registry, the
 * asynchronous bean, health and metrics then use that bean for the entry.
 * <p>
 * The definitions name a static factory method and carry the entry's name as an argument, never a lambda, so that
 * Spring's AOT processing can write them as code ({@code process-aot}, native images). As with every bean condition
 * under AOT, the set of entries is fixed when the application is processed; their settings are still read at run
 * time.
 */
final class SandboxerBeanRegistrar implements ImportBeanDefinitionRegistrar {

	/**
	 * Marks the bean definitions made here, to tell them from the application's own. A role, not an attribute:
	 * AOT writes a definition's role into its generated code but drops its attributes.
	 */
	static final int ENTRY_ROLE = BeanDefinition.ROLE_SUPPORT;

	private final Environment environment;

	SandboxerBeanRegistrar(Environment environment) {
		this.environment = environment;
	}

	/** The name of the blocking bean of an entry: {@code e2bSandboxer}. */
	static String sandboxerBeanName(String entry) {
		return entry + "Sandboxer";
	}

	/** The name of the asynchronous bean of an entry: {@code e2bAsyncSandboxer}. */
	static String asyncSandboxerBeanName(String entry) {
		return entry + "AsyncSandboxer";
	}

	/** Whether the application declared its own bean for the blocking client of an entry. */
	static boolean isOverridden(ListableBeanFactory beanFactory, BeanDefinitionRegistry registry, String entry) {
		String name = sandboxerBeanName(entry);
		return beanFactory.containsBeanDefinition(name) && registry.getBeanDefinition(name).getRole() != ENTRY_ROLE;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		SandboxerEntries entries = SandboxerEntries.bind(this.environment);
		boolean applicationHasPrimary = hasPrimarySandboxer(registry);
		for (String entry : entries.entries().keySet()) {
			boolean primary = entry.equals(entries.defaultName()) && !applicationHasPrimary;
			register(registry, sandboxerBeanName(entry), Sandboxer.class, "sandboxer", entry, primary);
			register(registry, asyncSandboxerBeanName(entry), AsyncSandboxer.class, "asyncSandboxer", entry, primary);
		}
	}

	private void register(BeanDefinitionRegistry registry, String beanName, Class<?> type, String factoryMethod,
			String entry, boolean primary) {
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition(SandboxerEntryBeans.class);
		definition.setFactoryMethodName(factoryMethod);
		definition.setTargetType(type);
		// The entry is given; the registry is found by type, so an application's own Sandboxers serves too.
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, entry);
		definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, entry));
		definition.setPrimary(primary);
		definition.setRole(ENTRY_ROLE);
		// The Sandboxers registry closes the client; a second close through these views would only race it.
		definition.setDestroyMethodName("");
		registry.registerBeanDefinition(beanName, definition);
	}

	/** An application's own {@code @Primary Sandboxer} keeps its place: ours then is not primary too. */
	private boolean hasPrimarySandboxer(BeanDefinitionRegistry registry) {
		if (!(registry instanceof ListableBeanFactory listable)) {
			return false;
		}
		return Arrays.stream(listable.getBeanNamesForType(Sandboxer.class, true, false))
			.filter(registry::containsBeanDefinition)
			.map(registry::getBeanDefinition)
			.anyMatch((definition) -> definition.isPrimary());
	}

}
