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
 * <p>Rotation never breaks a token: a scheduled new key is published {@code publishAhead} before it
 * starts signing (services that fetched the key set in between already know it), and the previous
 * key, retired when the new one takes over, stays in the key set for {@code retirementPeriod},
 * longer than any access token lives.
 * Keys live in the database so every replica signs with the same key and publishes the same set;
 * each replica caches them and reloads when a token names a key it has not seen.
 */
public final class SigningKeyRing {

    private static final int RSA_BITS = 2048;

    private final SigningKeyStore store;
    private final Duration rotationInterval;
    private final Duration retirementPeriod;
    private final Duration reloadInterval;
    private final Duration publishAhead;
    private final Clock clock;
    private volatile List<SigningKey> keys = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    public SigningKeyRing(SigningKeyStore store, Duration rotationInterval, Duration retirementPeriod,
                          Duration reloadInterval, Duration publishAhead, Clock clock) {
        this.store = store;
        this.rotationInterval = rotationInterval;
        this.retirementPeriod = retirementPeriod;
        this.reloadInterval = reloadInterval;
        this.publishAhead = publishAhead;
        this.clock = clock;
    }

    /** The key that signs now: the most recently activated one of those whose time has come. */
    public SigningKey active() {
        Instant now = clock.instant();
        return keys.stream().filter(k -> k.signsAt(now)).max(Comparator.comparing(SigningKey::activatesAt))
                .orElseThrow(() -> new IllegalStateException("no signing key; call maintain() first"));
    }

    /** The keys whose tokens may be valid now or soon: what the JWKS document lists. */
    public List<SigningKey> published() {
        Instant cutoff = clock.instant().minus(retirementPeriod);
        return keys.stream().filter(k -> k.retiredAt() == null || k.retiredAt().isAfter(cutoff)).toList();
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
        if (loadedAt.plus(reloadInterval).isAfter(now) && newest(keys).filter(k -> !rotationDue(k, now)).isPresent()) {
            return;
        }
        store.lockForChange();
        Optional<SigningKey> newest = newest(store.all());
        if (newest.isEmpty()) {
            addAndRetireOthers(now, now);
        } else if (rotationDue(newest.get(), now)) {
            addAndRetireOthers(now, now.plus(publishAhead));
        }
        store.deleteRetiredBefore(now.minus(retirementPeriod));
        reload();
    }

    /**
     * Starts signing with a new key at once, for an operator who fears a key leaked. Services that
     * have not seen it fetch the key set on the first token naming it.
     */
    public SigningKey rotate() {
        store.lockForChange();
        Instant now = clock.instant();
        SigningKey key = addAndRetireOthers(now, now);
        reload();
        return key;
    }

    /** Publishes a new key now that signs from {@code activatesAt}, when the keys signing before retire. */
    private SigningKey addAndRetireOthers(Instant now, Instant activatesAt) {
        KeyPair pair = generate();
        SigningKey key = new SigningKey(UUID.randomUUID().toString(), pair.getPrivate(), pair.getPublic(), now, activatesAt, null);
        store.insert(key);
        store.retireAllBut(key.keyId(), activatesAt);
        return key;
    }

    /** Due when the newest key (signing or about to) has been signing for the rotation interval. */
    private boolean rotationDue(SigningKey key, Instant now) {
        return !key.activatesAt().plus(rotationInterval).isAfter(now);
    }

    private void reload() {
        keys = List.copyOf(store.all());
        loadedAt = clock.instant();
    }

    private Optional<PublicKey> lookup(String keyId) {
        return published().stream().filter(k -> k.keyId().equals(keyId)).map(SigningKey::publicKey).findFirst();
    }

    private static Optional<SigningKey> newest(List<SigningKey> keys) {
        return keys.stream().max(Comparator.comparing(SigningKey::activatesAt));
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
