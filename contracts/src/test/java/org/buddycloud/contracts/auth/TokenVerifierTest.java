package org.buddycloud.contracts.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.buddycloud.contracts.auth.InvalidTokenException.Reason;
import org.buddycloud.contracts.jid.Jid;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final TestSigner SIGNER = new TestSigner("key-1");

    private final TestClock clock = new TestClock(NOW);
    private final RevocationList revocations = new RevocationList(Duration.ofHours(1));
    private final TokenVerifier verifier = verifier(SIGNER.keys());

    private TokenVerifier verifier(VerificationKeys keys) {
        return new TokenVerifier(keys, revocations,
                new TokenVerifier.Settings(TestSigner.ISSUER, TestSigner.AUDIENCE, Duration.ofSeconds(30), 1000), clock);
    }

    @Test
    void acceptsAValidTokenAndReadsItsClaims() throws InvalidTokenException {
        AccessTokenClaims claims = verifier.verify(SIGNER.sign("juliet@example.com", NOW, 900));
        assertEquals(Jid.parse("juliet@example.com"), claims.subject());
        assertEquals("session-1", claims.sessionId());
        assertEquals(7L, claims.generation());
        assertEquals(NOW.plusSeconds(900), claims.expiresAt());
    }

    @Test
    void refusesAnExpiredTokenEvenWhenItWasAcceptedBefore() throws InvalidTokenException {
        String token = SIGNER.sign("juliet@example.com", NOW, 900);
        verifier.verify(token);
        clock.advance(Duration.ofSeconds(900 + 31));
        assertReason(Reason.EXPIRED, token);
    }

    @Test
    void toleratesSmallClockSkew() throws InvalidTokenException {
        String token = SIGNER.sign("juliet@example.com", NOW.plusSeconds(20), 900);
        verifier.verify(token);
        assertReason(Reason.NOT_YET_VALID, SIGNER.sign("juliet@example.com", NOW.plusSeconds(120), 900));
    }

    @Test
    void refusesATokenSignedWithAForeignKeyUnderAKnownKeyId() {
        TestSigner impostor = new TestSigner("key-1");
        assertReason(Reason.BAD_SIGNATURE, impostor.sign("juliet@example.com", NOW, 900));
    }

    @Test
    void refusesATokenNamingAnUnknownKey() {
        assertReason(Reason.UNKNOWN_KEY, new TestSigner("key-2").sign("juliet@example.com", NOW, 900));
    }

    @Test
    void refusesOtherAlgorithmsAndUnsignedTokens() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"kid\":\"key-1\"}".getBytes());
        String payload = SIGNER.sign("juliet@example.com", NOW, 900).split("\\.")[1];
        assertReason(Reason.MALFORMED, header + "." + payload + ".");
        var claims = new org.jose4j.jwt.JwtClaims();
        claims.setSubject("juliet@example.com");
        assertReason(Reason.MALFORMED, SIGNER.sign(claims, AlgorithmIdentifiers.RSA_PSS_USING_SHA256));
    }

    @Test
    void refusesHmacSignedWithThePublicKeyAsSecret() throws Exception {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"kid\":\"key-1\"}".getBytes());
        String payload = SIGNER.sign("juliet@example.com", NOW, 900).split("\\.")[1];
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(SIGNER.keys().find("key-1").orElseThrow().getEncoded(), "HmacSHA256"));
        String signature = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(hmac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        assertReason(Reason.MALFORMED, header + "." + payload + "." + signature);
    }

    @Test
    void refusesCriticalHeaderExtensionsItCannotHonour() {
        var claims = new org.jose4j.jwt.JwtClaims();
        claims.setSubject("juliet@example.com");
        claims.setClaim("urn:example:binding", "x");
        assertReason(Reason.MALFORMED, SIGNER.sign(claims, jws -> {
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setHeader("urn:example:binding", "x");
            jws.setCriticalHeaderNames("urn:example:binding");
        }));
    }

    @Test
    void refusesWrongIssuerOrAudience() {
        assertReason(Reason.WRONG_ISSUER, SIGNER.sign("juliet@example.com", NOW, 900, c -> c.setIssuer("https://evil.example")));
        assertReason(Reason.WRONG_AUDIENCE, SIGNER.sign("juliet@example.com", NOW, 900, c -> c.setAudience("other")));
    }

    @Test
    void refusesMissingClaimsAndNonBareSubjects() {
        assertReason(Reason.MALFORMED, SIGNER.sign("juliet@example.com/phone", NOW, 900));
        assertReason(Reason.MALFORMED, SIGNER.sign("example.com", NOW, 900));
        assertReason(Reason.MALFORMED, SIGNER.sign("juliet@example.com", NOW, 900,
                c -> c.unsetClaim(AccessTokenClaims.GENERATION_CLAIM)));
        assertReason(Reason.MALFORMED, SIGNER.sign("juliet@example.com", NOW, 900, c -> c.unsetClaim("jti")));
    }

    @Test
    void refusesGarbage() {
        assertReason(Reason.MALFORMED, "");
        assertReason(Reason.MALFORMED, "a.b.c");
        assertReason(Reason.MALFORMED, "x".repeat(9000));
    }

    @Test
    void refusesTokensBelowTheAccountsGenerationFloor() throws InvalidTokenException {
        String old = SIGNER.sign("juliet@example.com", NOW, 900);
        verifier.verify(old);
        revocations.revokeBelow(Jid.parse("juliet@example.com"), 8, NOW);
        assertReason(Reason.REVOKED, old);
        verifier.verify(SIGNER.sign("juliet@example.com", NOW, 900, c -> c.setClaim("gen", 8L)));
        verifier.verify(SIGNER.sign("romeo@example.com", NOW, 900));
    }

    @Test
    void refusesTokensOfARevokedSession() throws InvalidTokenException {
        String token = SIGNER.sign("juliet@example.com", NOW, 900);
        verifier.verify(token);
        revocations.revokeSession("session-1", NOW.plusSeconds(900));
        assertReason(Reason.REVOKED, token);
        verifier.verify(SIGNER.sign("juliet@example.com", NOW, 900, c -> c.setClaim("sid", "session-2")));
    }

    private void assertReason(Reason expected, String token) {
        assertEquals(expected, assertThrows(InvalidTokenException.class, () -> verifier.verify(token)).reason());
    }
}
