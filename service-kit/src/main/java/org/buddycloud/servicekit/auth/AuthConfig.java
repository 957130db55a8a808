package org.buddycloud.servicekit.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** How a service checks the access tokens the channel server issues. */
@ConfigMapping(prefix = "buddycloud.auth")
public interface AuthConfig {

    /** The channel server's key set. */
    @WithDefault("http://localhost:8081/.well-known/jwks.json")
    URI jwksUrl();

    /** Must equal the channel server's {@code buddycloud.tokens.issuer}. */
    @WithDefault("http://localhost:8081")
    String issuer();

    @WithDefault("buddycloud")
    String audience();

    /** Tolerated difference between this host's clock and the channel server's. */
    @WithDefault("30s")
    Duration clockSkew();

    /** At most one key-set fetch per interval when tokens name unknown keys. */
    @WithDefault("2s")
    Duration jwksMinRefreshInterval();

    /** The key set is fetched again when older than this, to notice retired keys. */
    @WithDefault("10m")
    Duration jwksMaxAge();

    /** How many verified tokens to remember (signature checked once, expiry and revocation every time). */
    @WithDefault("10000")
    int verifiedTokenCacheSize();

    /** How long a revocation is remembered; at least the longest access-token lifetime. */
    @WithDefault("24h")
    Duration revocationRetention();

    /** HTTP Basic with the account's password; only the channel server, which holds the credentials, turns it on. */
    @WithDefault("false")
    boolean basicEnabled();

    @WithDefault("buddycloud")
    String realm();

    /**
     * The channel server's XEP-0070 endpoint ({@code /internal/confirm}). Set (with {@code buddycloud.internal.secret}),
     * callers holding only an XMPP session authenticate as in the original media server: HTTP Basic with their full
     * JID and a transaction id, or {@code ?auth=base64url(fullJID:txid)}, and their client confirms the request.
     */
    Optional<URI> confirmationUrl();

    /** How long the user's client has to confirm. */
    @WithDefault("30s")
    Duration confirmationTimeout();
}
