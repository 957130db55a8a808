package org.buddycloud.channels.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The access tokens this server issues. */
@ConfigMapping(prefix = "buddycloud.tokens")
public interface TokenConfig {

    /** The {@code iss} claim; every service's {@code buddycloud.auth.issuer} must match. */
    @WithDefault("http://localhost:8081")
    String issuer();

    @WithDefault("buddycloud")
    String audience();

    @WithDefault("15m")
    Duration accessTokenLifetime();

    @WithDefault("30d")
    Duration refreshTokenLifetime();

    /** A new signing key takes over this often; the previous one stays published until its tokens expired. */
    @WithDefault("7d")
    Duration keyRotationInterval();

    /**
     * A scheduled new key is published this long before it signs, so services that refreshed their
     * key set meanwhile know it before they see a token with it. Longer than {@code key-reload-interval}.
     */
    @WithDefault("5m")
    Duration keyPublishAhead();

    /** How often a replica rereads the keys (to start signing with a key another replica created). */
    @WithDefault("1m")
    Duration keyReloadInterval();
}
