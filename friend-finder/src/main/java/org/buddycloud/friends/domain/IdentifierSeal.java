package org.buddycloud.friends.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps identifiers out of the database in the clear. A claim holds its identifier sealed (AES-256-GCM), opened only
 * to hash it again when the pepper turns, and a fingerprint (HMAC-SHA-256) that finds the same identifier across
 * claims. Both keys come from one secret the database does not hold, so a copy of the database tells no
 * identifier, and hashing every phone number does not find one either.
 */
public final class IdentifierSeal {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec sealKey;
    private final SecretKeySpec fingerprintKey;
    private final SecureRandom random;

    /** From the configured secret: base64 of at least 32 random bytes. */
    public IdentifierSeal(String secret, SecureRandom random) {
        byte[] master;
        try {
            master = Base64.getDecoder().decode(secret.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the identifier key is not base64", e);
        }
        if (master.length < 32) {
            throw new IllegalArgumentException("the identifier key must hold at least 32 bytes (base64 of 32 random bytes)");
        }
        this.sealKey = new SecretKeySpec(derive(master, "seal"), "AES");
        this.fingerprintKey = new SecretKeySpec(derive(master, "fingerprint"), "HmacSHA256");
        this.random = random;
    }

    public byte[] seal(Identifier identifier) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain(identifier).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal an identifier", e);
        }
    }

    public Identifier open(byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            String plain = new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
            int space = plain.indexOf(' ');
            return new Identifier(Medium.of(plain.substring(0, space)), plain.substring(space + 1));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed identifier does not open: was the identifier key changed?", e);
        }
    }

    /** The same for the same identifier, and nothing to anybody without the key. */
    public String fingerprint(Identifier identifier) {
        return HexFormat.of().formatHex(hmac(fingerprintKey, plain(identifier)));
    }

    private static String plain(Identifier identifier) {
        return identifier.medium().wireName() + " " + identifier.address();
    }

    private static byte[] derive(byte[] master, String purpose) {
        return hmac(new SecretKeySpec(master, "HmacSHA256"), "buddycloud friend finder " + purpose);
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }
}
