package dev.sandboxer.autoconfigure;

import java.util.Arrays;
import java.util.function.Supplier;

import dev.sandboxer.AsyncSandboxer;
import dev.sandboxer.Sandboxer;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
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
 */
final class SandboxerBeanRegistrar implements ImportBeanDefinitionRegistrar {

	/** Marks the bean definitions made here, to tell them from the application's own. */
	static final String ENTRY_ATTRIBUTE = SandboxerBeanRegistrar.class.getName() + ".entry";

	private final Environment environment;

	private final BeanFactory beanFactory;

	SandboxerBeanRegistrar(Environment environment, BeanFactory beanFactory) {
		this.environment = environment;
		this.beanFactory = beanFactory;
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
		return beanFactory.containsBeanDefinition(name)
				&& registry.getBeanDefinition(name).getAttribute(ENTRY_ATTRIBUTE) == null;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		SandboxerEntries entries = SandboxerEntries.bind(this.environment);
		boolean applicationHasPrimary = hasPrimarySandboxer(registry);
		for (String entry : entries.entries().keySet()) {
			boolean primary = entry.equals(entries.defaultName()) && !applicationHasPrimary;
			register(registry, sandboxerBeanName(entry), Sandboxer.class, entry, primary,
					() -> sandboxers().get(entry));
			register(registry, asyncSandboxerBeanName(entry), AsyncSandboxer.class, entry, primary,
					() -> sandboxers().getAsync(entry));
		}
	}

	private <T> void register(BeanDefinitionRegistry registry, String beanName, Class<T> type, String entry,
			boolean primary, Supplier<T> supplier) {
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition(type, supplier);
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, entry));
		definition.setPrimary(primary);
		definition.setAttribute(ENTRY_ATTRIBUTE, entry);
		// The Sandboxers registry closes the client; a second close through these views would only race it.
		definition.setDestroyMethodName("");
		registry.registerBeanDefinition(beanName, definition);
	}

	private Sandboxers sandboxers() {
		return this.beanFactory.getBean(Sandboxers.class);
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
