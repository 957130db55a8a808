package org.buddycloud.channels.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Throttling of password guesses: failed logins per account and per client address. */
@ConfigMapping(prefix = "buddycloud.login")
public interface LoginConfig {

    @WithDefault("5")
    int maxFailuresPerAccount();

    @WithDefault("30")
    int maxFailuresPerAddress();

    @WithDefault("15m")
    Duration failureWindow();
}
