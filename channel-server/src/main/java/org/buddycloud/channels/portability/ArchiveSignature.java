package org.buddycloud.channels.portability;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A domain's signatures of its archives under its secret: HMAC-SHA-256 of a manifest's SHA-256, and the keys of
 * download links (of an export's id), both compared in constant time.
 */
public final class ArchiveSignature {

    private static final String PREFIX = "hmac-sha256:";

    private final byte[] secret;

    public ArchiveSignature(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("an archive secret has at least 32 bytes");
        }
        this.secret = secret.clone();
    }

    public String sign(byte[] manifestDigest) {
        return PREFIX + base64(mac(manifestDigest));
    }

    public boolean verifies(byte[] manifestDigest, String signature) {
        return signature != null && MessageDigest.isEqual(sign(manifestDigest).getBytes(StandardCharsets.US_ASCII),
                signature.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** The key of an export's download link: nobody without the secret can make one, the owner can be shown it any time. */
    public String linkKey(UUID exportId) {
        return base64(mac(("download:" + exportId).getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HMAC-SHA-256", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
