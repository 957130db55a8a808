package org.buddycloud.channels.token;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The access-token signing keys: which one signs, which ones are published, when to rotate.
 *
 * <p>Rotation never breaks a token already issued: the previous key is retired (it stops signing)
 * but stays in the key set for {@code retirementPeriod}, longer than any access token lives.
 * Keys live in the database so every replica signs with the same key and publishes the same set;
 * each replica caches them and reloads when a token names a key it has not seen.
 */
public final class SigningKeyRing {

    private static final int RSA_BITS = 2048;

    private final SigningKeyStore store;
    private final Duration rotationInterval;
    private final Duration retirementPeriod;
    private final Duration reloadInterval;
    private final Clock clock;
    private volatile List<SigningKey> keys = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    public SigningKeyRing(SigningKeyStore store, Duration rotationInterval, Duration retirementPeriod,
                          Duration reloadInterval, Clock clock) {
        this.store = store;
        this.rotationInterval = rotationInterval;
        this.retirementPeriod = retirementPeriod;
        this.reloadInterval = reloadInterval;
        this.clock = clock;
    }

    /** The key that signs now. */
    public SigningKey active() {
        return newestUnretired(keys).orElseThrow(() -> new IllegalStateException("no signing key; call maintain() first"));
    }

    /** The keys whose tokens may still be valid: what the JWKS document lists. */
    public List<SigningKey> published() {
        Instant cutoff = clock.instant().minus(retirementPeriod);
        return keys.stream().filter(k -> !k.retired() || k.retiredAt().isAfter(cutoff)).toList();
    }

    public Optional<PublicKey> find(String keyId) {
        Optional<PublicKey> key = lookup(keyId);
        if (key.isEmpty() && loadedAt.plusSeconds(1).isBefore(clock.instant())) {
            reload();
            key = lookup(keyId);
        }
        return key;
    }

    /**
     * Makes sure a key signs, rotates when the active key is older than the rotation interval, and
     * forgets keys retired long ago. Run in a transaction; replicas take turns.
     */
    public void maintain() {
        Instant now = clock.instant();
        if (loadedAt.plus(reloadInterval).isAfter(now) && newestUnretired(keys).filter(k -> !rotationDue(k, now)).isPresent()) {
            return;
        }
        store.lockForChange();
        List<SigningKey> current = store.all();
        Optional<SigningKey> active = newestUnretired(current);
        if (active.isEmpty() || rotationDue(active.get(), now)) {
            addAndRetireOthers(now);
        }
        store.deleteRetiredBefore(now.minus(retirementPeriod));
        reload();
    }

    /** Starts signing with a new key now (scheduled rotation, or an operator who fears a key leaked). */
    public SigningKey rotate() {
        store.lockForChange();
        SigningKey key = addAndRetireOthers(clock.instant());
        reload();
        return key;
    }

    private SigningKey addAndRetireOthers(Instant now) {
        KeyPair pair = generate();
        SigningKey key = new SigningKey(UUID.randomUUID().toString(), pair.getPrivate(), pair.getPublic(), now, null);
        store.insert(key);
        store.retireAllBut(key.keyId(), now);
        return key;
    }

    private boolean rotationDue(SigningKey key, Instant now) {
        return !key.createdAt().plus(rotationInterval).isAfter(now);
    }

    private void reload() {
        keys = List.copyOf(store.all());
        loadedAt = clock.instant();
    }

    private Optional<PublicKey> lookup(String keyId) {
        return published().stream().filter(k -> k.keyId().equals(keyId)).map(SigningKey::publicKey).findFirst();
    }

    private static Optional<SigningKey> newestUnretired(List<SigningKey> keys) {
        return keys.stream().filter(k -> !k.retired()).max(Comparator.comparing(SigningKey::createdAt));
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks RSA", e);
        }
    }
}
