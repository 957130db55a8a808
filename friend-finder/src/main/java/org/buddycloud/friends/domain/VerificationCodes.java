package org.buddycloud.friends.domain;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The codes that prove an identifier is one's own: six digits, sent to it, kept only as a hash bound to the claim
 * (a code of one claim proves nothing for another), compared in constant time.
 */
public final class VerificationCodes {

    private final SecureRandom random;

    public VerificationCodes(SecureRandom random) {
        this.random = random;
    }

    public String newCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    public static String hash(String claimId, String code) {
        return HexFormat.of().formatHex(LookupHashes.sha256(claimId + ":" + code));
    }

    public static boolean matches(String claimId, String offered, String storedHash) {
        if (offered == null || storedHash == null) {
            return false;
        }
        String digits = offered.trim();
        return MessageDigest.isEqual(hash(claimId, digits).getBytes(), storedHash.getBytes());
    }
}
