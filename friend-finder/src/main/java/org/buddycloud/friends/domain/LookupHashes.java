package org.buddycloud.friends.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The hashes clients send instead of identifiers. Current: Matrix identity v2's {@code sha256} —
 * unpadded base64url of SHA-256 over {@code "<address> <medium> <pepper>"} — with this service's pepper, which turns
 * on a schedule so that a table of hashes made for one pepper is useless for the next. Legacy (PROTOCOL.md §5, only
 * when an operator turns it on): lowercase hex of SHA-256 over {@code "email:<address>"} or {@code "phone:<digits>"},
 * unsalted and so open to anyone who hashes every number.
 */
public final class LookupHashes {

    public static final String ALGORITHM = "sha256";

    private LookupHashes() {
    }

    public static String peppered(Identifier identifier, String pepper) {
        byte[] digest = sha256(identifier.address() + " " + identifier.medium().wireName() + " " + pepper);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    public static String legacy(Identifier identifier) {
        String kind = identifier.medium() == Medium.EMAIL ? "email:" : "phone:";
        return HexFormat.of().formatHex(sha256(kind + identifier.address()));
    }

    /** A hash as a client may send it: base64url or hex, no more than a digest's length. */
    public static boolean wellFormed(String hash) {
        return hash != null && hash.length() >= 32 && hash.length() <= 64 && hash.chars().allMatch(c ->
                c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_');
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
