package org.buddycloud.channels.push;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** XEP-0357 registrations ({@code buddycloud.push-registrations.*}). */
@ConfigMapping(prefix = "buddycloud.push-registrations")
public interface PushRegistrationsConfig {

    /** How many app server nodes an account may enable; one more is refused with {@code not-acceptable}. */
    @WithDefault("20")
    int maxPerAccount();
}
