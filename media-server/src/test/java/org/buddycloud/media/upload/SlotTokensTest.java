package org.buddycloud.media.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;
import org.buddycloud.contracts.auth.InvalidTokenException;
import org.buddycloud.contracts.auth.InvalidTokenException.Reason;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** Which slot tokens the media server takes: its issuer's signature, the upload audience and type, unexpired. */
class SlotTokensTest {

    private static final Instant ISSUED = Instant.parse("2026-12-06T12:00:00Z");
    private static final KeyPair KEY = rsa();
    private static final KeyPair STRANGER = rsa();

    private static SlotTokens at(Instant now) {
        return new SlotTokens(kid -> "k1".equals(kid) ? Optional.of(KEY.getPublic()) : Optional.empty(),
                new SlotTokens.Settings("https://channels.example", "buddycloud-upload", Duration.ofSeconds(30)),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String token(Consumer<JwtClaims> change, String type, KeyPair key) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://channels.example");
        claims.setAudience("buddycloud-upload");
        claims.setSubject("juliet@example.com");
        claims.setJwtId("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        claims.setIssuedAt(NumericDate.fromSeconds(ISSUED.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(ISSUED.plusSeconds(300).getEpochSecond()));
        claims.setClaim("filename", "balcony.jpg");
        claims.setClaim("size", 1234);
        claims.setClaim("content-type", "image/jpeg");
        change.accept(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivate());
        jws.setKeyIdHeaderValue("k1");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", type);
        return jws.getCompactSerialization();
    }

    private static String token() throws Exception {
        return token(c -> { }, "upload+jwt", KEY);
    }

    private static Reason refused(SlotTokens tokens, String token) {
        return assertThrows(InvalidTokenException.class, () -> tokens.verify(token)).reason();
    }

    @Test
    void aGoodTokenGrantsItsSlot() throws Exception {
        SlotGrant grant = at(ISSUED.plusSeconds(10)).verify(token());
        assertEquals("juliet@example.com", grant.user().toString());
        assertEquals("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", grant.slotId());
        assertEquals("balcony.jpg", grant.fileName());
        assertEquals(1234, grant.size());
        assertEquals(Optional.of("image/jpeg"), grant.contentType());
    }

    @Test
    void aTokenPastItsExpiryAndTheClockSkewIsRefused() throws Exception {
        at(ISSUED.plusSeconds(300 + 29)).verify(token());
        assertEquals(Reason.EXPIRED, refused(at(ISSUED.plusSeconds(300 + 30)), token()));
    }

    @Test
    void aTamperedTokenIsRefused() throws Exception {
        String[] parts = token().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("1234", "9999999");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        assertEquals(Reason.BAD_SIGNATURE, refused(at(ISSUED), tampered));
        assertEquals(Reason.BAD_SIGNATURE, refused(at(ISSUED), token(c -> { }, "upload+jwt", STRANGER)));
    }

    @Test
    void accessTokensAndOtherIssuersAreNoSlotTokens() throws Exception {
        assertEquals(Reason.MALFORMED, refused(at(ISSUED), token(c -> { }, "at+jwt", KEY)));
        assertEquals(Reason.WRONG_AUDIENCE, refused(at(ISSUED), token(c -> c.setAudience("buddycloud"), "upload+jwt", KEY)));
        assertEquals(Reason.WRONG_ISSUER, refused(at(ISSUED), token(c -> c.setIssuer("https://evil.example"), "upload+jwt", KEY)));
        assertEquals(Reason.MALFORMED, refused(at(ISSUED), token(c -> c.unsetClaim("size"), "upload+jwt", KEY)));
        assertEquals(Reason.MALFORMED, refused(at(ISSUED), "not.a.token"));
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
