package org.buddycloud.xmppkit.s2s;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server dialback keys as XEP-0185 recommends (and Prosody makes them): {@code HMAC-SHA256(hex(SHA-256(secret)),
 * receiving + ' ' + originating + ' ' + streamId)}, in lower-case hex. The originating server sends the key on the
 * stream it opened; the receiving server asks the authoritative server, which makes the key again from its secret and
 * says whether it matches. Only a server that knows the secret can make a key that verifies, and a key is good for one
 * stream between one pair of domains.
 */
public final class DialbackKey {

    private final SecretKeySpec hmacKey;

    /** {@code secret}: the authoritative servers' shared secret (every replica of one domain must use the same). */
    public DialbackKey(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a dialback secret must not be empty");
        }
        byte[] hashed = sha256(secret.getBytes(StandardCharsets.UTF_8));
        this.hmacKey = new SecretKeySpec(HexFormat.of().formatHex(hashed).getBytes(StandardCharsets.US_ASCII), "HmacSHA256");
    }

    /** The key the originating server sends for the stream {@code streamId} that the receiving server opened. */
    public String generate(String receiving, String originating, String streamId) {
        require(receiving, "receiving");
        require(originating, "originating");
        require(streamId, "stream id");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            byte[] digest = mac.doFinal((receiving + ' ' + originating + ' ' + streamId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code key} is the one this server would have made; compared in constant time, and a null key is not. */
    public boolean verify(String receiving, String originating, String streamId, String key) {
        if (key == null || receiving == null || originating == null || streamId == null
                || receiving.isEmpty() || originating.isEmpty() || streamId.isEmpty()) {
            return false;
        }
        byte[] expected = generate(receiving, originating, streamId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, key.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static void require(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a dialback key needs the " + what);
        }
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
