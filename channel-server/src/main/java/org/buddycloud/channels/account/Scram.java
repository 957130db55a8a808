package org.buddycloud.channels.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM computations of RFC 5802 §3, for both the HTTP login (check a password against the
 * stored keys) and SASL (check a client proof, compute the server signature).
 */
public final class Scram {

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    private Scram() {
    }

    /** The stored form of a password (already normalised, see {@link Passwords}). */
    public static ScramCredential derive(ScramMechanism mechanism, String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(mechanism, password, salt, iterations);
        byte[] clientKey = hmac(mechanism, salted, CLIENT_KEY);
        return new ScramCredential(mechanism, salt.clone(), iterations, hash(mechanism, clientKey),
                hmac(mechanism, salted, SERVER_KEY));
    }

    /** Whether {@code password} is the one the credential was derived from; constant time in the comparison. */
    public static boolean matches(ScramCredential credential, String password) {
        byte[] salted = saltedPassword(credential.mechanism(), password, credential.salt(), credential.iterations());
        byte[] storedKey = hash(credential.mechanism(), hmac(credential.mechanism(), salted, CLIENT_KEY));
        return MessageDigest.isEqual(storedKey, credential.storedKey());
    }

    /** SaltedPassword := Hi(Normalize(password), salt, i), where Hi is PBKDF2 with the mechanism's HMAC. */
    public static byte[] saltedPassword(ScramMechanism mechanism, String password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance(mechanism.hmac());
            mac.init(new SecretKeySpec(hmacKey(password.getBytes(StandardCharsets.UTF_8)), mechanism.hmac()));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + mechanism.hmac(), e);
        }
    }

    /** HMAC pads keys with zeros, so an empty key equals a single zero byte, which the JDK accepts. */
    private static byte[] hmacKey(byte[] key) {
        return key.length == 0 ? new byte[1] : key;
    }

    public static byte[] clientKey(ScramMechanism mechanism, byte[] saltedPassword) {
        return hmac(mechanism, saltedPassword, CLIENT_KEY);
    }

    /** ClientProof := ClientKey XOR HMAC(StoredKey, AuthMessage); what a client sends. */
    public static byte[] clientProof(ScramMechanism mechanism, byte[] clientKey, String authMessage) {
        return xor(clientKey, hmac(mechanism, hash(mechanism, clientKey), bytes(authMessage)));
    }

    /** Recovers ClientKey from the proof and checks that it hashes to StoredKey. */
    public static boolean verifyClientProof(ScramCredential credential, String authMessage, byte[] clientProof) {
        byte[] clientSignature = hmac(credential.mechanism(), credential.storedKey(), bytes(authMessage));
        if (clientProof.length != clientSignature.length) {
            return false;
        }
        byte[] clientKey = xor(clientProof, clientSignature);
        return MessageDigest.isEqual(hash(credential.mechanism(), clientKey), credential.storedKey());
    }

    /** ServerSignature := HMAC(ServerKey, AuthMessage); proves to the client that the server knows its keys. */
    public static byte[] serverSignature(ScramCredential credential, String authMessage) {
        return hmac(credential.mechanism(), credential.serverKey(), bytes(authMessage));
    }

    private static byte[] hmac(ScramMechanism mechanism, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(mechanism.hmac());
            mac.init(new SecretKeySpec(key, mechanism.hmac()));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + mechanism.hmac(), e);
        }
    }

    private static byte[] hash(ScramMechanism mechanism, byte[] data) {
        try {
            return MessageDigest.getInstance(mechanism.digest()).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + mechanism.digest(), e);
        }
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] result = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = (byte) (a[i] ^ b[i]);
        }
        return result;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
