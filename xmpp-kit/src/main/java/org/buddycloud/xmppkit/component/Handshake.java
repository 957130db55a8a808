package org.buddycloud.xmppkit.component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The XEP-0114 handshake: the component proves it knows the shared secret without sending it. */
public final class Handshake {

    private Handshake() {
    }

    /** XEP-0114 §3: lower-case hex SHA-1 of the stream id followed by the shared secret. */
    public static String digest(String streamId, String secret) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    /**
     * Whether the component's {@code offered} digest is the one for the secret. Compared in constant
     * time, so that how long a refusal takes tells nothing about how close a guess was.
     */
    public static boolean matches(String streamId, String secret, String offered) {
        byte[] expected = digest(streamId, secret).getBytes(StandardCharsets.US_ASCII);
        byte[] given = (offered == null ? "" : offered.trim().toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }
}
