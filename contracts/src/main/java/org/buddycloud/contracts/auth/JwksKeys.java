package org.buddycloud.contracts.auth;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The channel server's signing keys, fetched from its JWKS document and cached.
 *
 * <p>The hot path never touches the network: a known key id is answered from memory. The set is
 * fetched again when it is older than {@code maxAge}, or when a token names a key id we do not know
 * (the server rotated its key) — but at most once per {@code minRefreshInterval}, so a flood of
 * tokens with invented key ids cannot turn into a flood of requests. A failed fetch keeps the keys
 * we have.
 */
public final class JwksKeys implements VerificationKeys {

    private static final System.Logger LOG = System.getLogger(JwksKeys.class.getName());

    private record Snapshot(Map<String, PublicKey> keys, Instant fetchedAt) {
    }

    private final URI jwksUri;
    private final Duration minRefreshInterval;
    private final Duration maxAge;
    private final HttpClient http;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Instant.EPOCH);
    private Instant lastAttempt = Instant.EPOCH;

    public JwksKeys(URI jwksUri, Duration minRefreshInterval, Duration maxAge, Clock clock) {
        this.jwksUri = jwksUri;
        this.minRefreshInterval = minRefreshInterval;
        this.maxAge = maxAge;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    @Override
    public Optional<PublicKey> find(String keyId) {
        if (keyId == null) {
            return Optional.empty();
        }
        Snapshot current = snapshot;
        if (current.fetchedAt().plus(maxAge).isBefore(clock.instant())) {
            current = refresh();
        }
        PublicKey key = current.keys().get(keyId);
        if (key == null) {
            key = refresh().keys().get(keyId);
        }
        return Optional.ofNullable(key);
    }

    /** True once a key set has been fetched; services report ready only then. */
    @Override
    public boolean available() {
        return !snapshot.keys().isEmpty() || !refresh().keys().isEmpty();
    }

    private synchronized Snapshot refresh() {
        Instant now = clock.instant();
        if (lastAttempt.plus(minRefreshInterval).isAfter(now)) {
            return snapshot;
        }
        lastAttempt = now;
        try {
            snapshot = new Snapshot(fetch(), now);
        } catch (IOException | JoseException e) {
            LOG.log(Level.WARNING, "cannot fetch signing keys from {0}: {1}; keeping {2} cached key(s)",
                    jwksUri, e.getMessage(), snapshot.keys().size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return snapshot;
    }

    private Map<String, PublicKey> fetch() throws IOException, InterruptedException, JoseException {
        HttpRequest request = HttpRequest.newBuilder(jwksUri).timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        Map<String, PublicKey> keys = new HashMap<>();
        for (JsonWebKey jwk : new JsonWebKeySet(response.body()).getJsonWebKeys()) {
            if (jwk instanceof PublicJsonWebKey publicJwk && jwk.getKeyId() != null
                    && (jwk.getUse() == null || "sig".equals(jwk.getUse()))) {
                keys.put(jwk.getKeyId(), publicJwk.getPublicKey());
            }
        }
        LOG.log(Level.DEBUG, "fetched {0} signing key(s) from {1}", keys.size(), jwksUri);
        return Map.copyOf(keys);
    }
}
