package org.buddycloud.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client half of SCRAM (RFC 5802 / RFC 7677) written from the RFC with the JDK alone, so that
 * SCRAM-SHA-256 (which Smack 4.4 lacks) is tested against an implementation that is not ours.
 */
public final class ScramClient {

    private final String hash;
    private final String mac;
    private final String pbkdf2;
    private final String username;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] serverSignature;

    /** @param mechanism SCRAM-SHA-256 or SCRAM-SHA-1 */
    public ScramClient(String mechanism, String username, String password) {
        boolean sha256 = mechanism.equals("SCRAM-SHA-256");
        this.hash = sha256 ? "SHA-256" : "SHA-1";
        this.mac = sha256 ? "HmacSHA256" : "HmacSHA1";
        this.pbkdf2 = sha256 ? "PBKDF2WithHmacSHA256" : "PBKDF2WithHmacSHA1";
        this.username = username;
        this.password = password;
        byte[] nonce = new byte[18];
        new SecureRandom().nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
    }

    public String clientFirst() {
        clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return "n,," + clientFirstBare;
    }

    public String clientFinal(String serverFirst) throws GeneralSecurityException {
        Map<String, String> attributes = attributes(serverFirst);
        String nonce = attributes.get("r");
        if (!nonce.startsWith(clientNonce)) {
            throw new GeneralSecurityException("server nonce does not extend ours");
        }
        byte[] salt = Base64.getDecoder().decode(attributes.get("s"));
        int iterations = Integer.parseInt(attributes.get("i"));
        byte[] salted = SecretKeyFactory.getInstance(pbkdf2)
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, hashLength() * 8)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance(hash).digest(clientKey);
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** True when the server proved it knows our keys too. */
    public boolean serverVerified(String serverFinal) {
        String v = attributes(serverFinal).get("v");
        return v != null && MessageDigest.isEqual(serverSignature, Base64.getDecoder().decode(v));
    }

    private int hashLength() {
        return hash.equals("SHA-256") ? 32 : 20;
    }

    private byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac m = Mac.getInstance(mac);
        m.init(new SecretKeySpec(key, mac));
        return m.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() > 2 && part.charAt(1) == '=') {
                attributes.put(part.substring(0, 1), part.substring(2));
            }
        }
        return attributes;
    }

    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String unbase64(String text) {
        return new String(Base64.getDecoder().decode(text.trim()), StandardCharsets.UTF_8);
    }
}
