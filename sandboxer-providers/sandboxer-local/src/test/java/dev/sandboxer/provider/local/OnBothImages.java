package dev.sandboxer.provider.local;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A test that runs once on the BusyBox image and once on the Debian one, getting the image name. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@ValueSource(strings = { LocalTestSandboxes.BUSYBOX, LocalTestSandboxes.DEBIAN })
@interface OnBothImages {

}
