package org.buddycloud.channels.auth;

import org.buddycloud.channels.token.SigningKey;
import org.buddycloud.channels.token.SigningKeyRing;
import org.buddycloud.channels.upload.SlotToken;
import org.buddycloud.channels.upload.SlotTokenSigner;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Signs XEP-0363 slot tokens as RS256 JWTs with the ring's active key, as access tokens are, so the media server
 * checks them against the JWKS it already fetches; {@code typ} and {@code aud} keep the two kinds apart.
 */
public final class JoseSlotTokenSigner implements SlotTokenSigner {

    private final SigningKeyRing keys;

    public JoseSlotTokenSigner(SigningKeyRing keys) {
        this.keys = keys;
    }

    @Override
    public String sign(SlotToken token) {
        JwtClaims jwt = new JwtClaims();
        jwt.setIssuer(token.issuer());
        jwt.setAudience(token.audience());
        jwt.setSubject(token.user().toString());
        jwt.setJwtId(token.slotId());
        jwt.setIssuedAt(NumericDate.fromSeconds(token.issuedAt().getEpochSecond()));
        jwt.setExpirationTime(NumericDate.fromSeconds(token.expiresAt().getEpochSecond()));
        jwt.setClaim(SlotToken.FILE_NAME_CLAIM, token.fileName());
        jwt.setClaim(SlotToken.SIZE_CLAIM, token.size());
        token.contentType().ifPresent(type -> jwt.setClaim(SlotToken.CONTENT_TYPE_CLAIM, type));
        SigningKey key = keys.active();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(jwt.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.keyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", SlotToken.TYPE);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a slot token", e);
        }
    }
}
