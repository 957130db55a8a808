package org.buddycloud.channels.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Registration and password rules. */
@ConfigMapping(prefix = "buddycloud.accounts")
public interface AccountConfig {

    @WithDefault("8")
    int minPasswordLength();

    /** PBKDF2 iterations of new SCRAM keys; RFC 7677 asks for at least 4096. */
    @WithDefault("4096")
    int scramIterations();

    @WithDefault("30m")
    Duration resetTokenLifetime();

    @WithDefault("3")
    int resetsPerAccount();

    @WithDefault("20")
    int resetsPerAddress();

    @WithDefault("1h")
    Duration resetWindow();

    /** A link for the reset mail, {@code {token}} replaced by the token, e.g. {@code https://app.example.com/reset?token={token}}. */
    Optional<String> resetLink();
}
