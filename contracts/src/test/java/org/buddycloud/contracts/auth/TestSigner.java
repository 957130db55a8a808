package org.buddycloud.contracts.auth;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/** Signs tokens the way the channel server does, with a key of the test's own, to drive the verifier. */
final class TestSigner {
    static final String ISSUER = "https://channels.example.com";
    static final String AUDIENCE = "buddycloud";

    final RsaJsonWebKey key;

    TestSigner(String keyId) {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        key.setKeyId(keyId);
        key.setUse("sig");
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    VerificationKeys keys() {
        return kid -> key.getKeyId().equals(kid) ? Optional.<PublicKey>of(key.getPublicKey()) : Optional.empty();
    }

    String sign(String subject, Instant issuedAt, long lifetimeSeconds) {
        return sign(subject, issuedAt, lifetimeSeconds, claims -> { });
    }

    String sign(String subject, Instant issuedAt, long lifetimeSeconds, Consumer<JwtClaims> adjust) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.getEpochSecond() + lifetimeSeconds));
        claims.setClaim(AccessTokenClaims.SESSION_CLAIM, "session-1");
        claims.setClaim(AccessTokenClaims.GENERATION_CLAIM, 7L);
        adjust.accept(claims);
        return sign(claims, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    String sign(JwtClaims claims, String algorithm) {
        return sign(claims, jws -> jws.setAlgorithmHeaderValue(algorithm));
    }

    /** Signs with this key after {@code header} has set the algorithm and any other header. */
    String sign(JwtClaims claims, Consumer<JsonWebSignature> header) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        header.accept(jws);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
