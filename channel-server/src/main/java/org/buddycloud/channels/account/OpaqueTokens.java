package org.buddycloud.channels.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random bearer secrets (reset tokens, refresh tokens): 256 bits, URL-safe. Only their SHA-256
 * is stored, so a leaked table grants nothing.
 */
public final class OpaqueTokens {

    private static final int BYTES = 32;

    private OpaqueTokens() {
    }

    public static String generate(SecureRandom random) {
        byte[] raw = new byte[BYTES];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
