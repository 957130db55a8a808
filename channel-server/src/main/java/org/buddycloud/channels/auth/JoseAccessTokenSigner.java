package org.buddycloud.channels.auth;

import org.buddycloud.channels.token.AccessTokenSigner;
import org.buddycloud.channels.token.SigningKey;
import org.buddycloud.channels.token.SigningKeyRing;
import org.buddycloud.contracts.auth.AccessTokenClaims;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/** Signs access tokens as RS256 JWTs with the ring's active key, naming it in {@code kid}. */
public final class JoseAccessTokenSigner implements AccessTokenSigner {

    private final SigningKeyRing keys;

    public JoseAccessTokenSigner(SigningKeyRing keys) {
        this.keys = keys;
    }

    @Override
    public String sign(AccessTokenClaims claims) {
        JwtClaims jwt = new JwtClaims();
        jwt.setIssuer(claims.issuer());
        jwt.setAudience(claims.audience());
        jwt.setSubject(claims.subject().toString());
        jwt.setJwtId(claims.tokenId());
        jwt.setIssuedAt(NumericDate.fromSeconds(claims.issuedAt().getEpochSecond()));
        jwt.setExpirationTime(NumericDate.fromSeconds(claims.expiresAt().getEpochSecond()));
        jwt.setClaim(AccessTokenClaims.SESSION_CLAIM, claims.sessionId());
        jwt.setClaim(AccessTokenClaims.GENERATION_CLAIM, claims.generation());
        SigningKey key = keys.active();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(jwt.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.keyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "at+jwt");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
    }
}
