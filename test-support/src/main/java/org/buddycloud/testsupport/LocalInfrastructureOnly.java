package org.buddycloud.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that needs the local processes themselves (it stops and restarts the broker, or needs a broker with a
 * SASL listener): the {@code -Pcontainers} suites skip it, with {@link #value()} as the reason.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LocalInfrastructureOnly {
    String value();
}
