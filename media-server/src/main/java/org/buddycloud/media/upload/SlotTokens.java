package org.buddycloud.media.upload;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.auth.InvalidTokenException;
import org.buddycloud.contracts.auth.InvalidTokenException.Reason;
import org.buddycloud.contracts.auth.VerificationKeys;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;

/**
 * Checks the slot tokens of XEP-0363 uploads: RS256 JWTs of type {@code upload+jwt} signed by the channel server with
 * the keys of its JWKS (the same keys as access tokens, found through the same {@link VerificationKeys}), with its
 * issuer, the upload audience (so an access token is no slot token, nor the other way round), a bare JID as subject,
 * the slot id as {@code jti}, and unexpired (with the clock skew allowed for access tokens).
 */
public final class SlotTokens {

    private static final int MAX_TOKEN_LENGTH = 8 * 1024;

    public record Settings(String issuer, String audience, Duration clockSkew) {
    }

    private final VerificationKeys keys;
    private final Settings settings;
    private final Clock clock;

    public SlotTokens(VerificationKeys keys, Settings settings, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    public SlotGrant verify(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(Reason.MALFORMED, "missing or oversized token");
        }
        DecodedJWT jwt;
        try {
            jwt = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "not a valid signed JWT");
        }
        if (!"RS256".equals(jwt.getAlgorithm()) || !SlotGrant.TYPE.equals(jwt.getType()) || !jwt.getHeaderClaim("crit").isMissing()) {
            throw new InvalidTokenException(Reason.MALFORMED, "not a slot token");
        }
        PublicKey found = keys.find(jwt.getKeyId()).orElseThrow(() -> new InvalidTokenException(Reason.UNKNOWN_KEY, "unknown signing key"));
        if (!(found instanceof RSAPublicKey key)) {
            throw new InvalidTokenException(Reason.UNKNOWN_KEY, "signing key is not an RSA key");
        }
        try {
            Algorithm.RSA256(key, null).verify(jwt);
        } catch (SignatureVerificationException e) {
            throw new InvalidTokenException(Reason.BAD_SIGNATURE, "bad signature");
        }
        if (!settings.issuer().equals(jwt.getIssuer())) {
            throw new InvalidTokenException(Reason.WRONG_ISSUER, "unexpected issuer");
        }
        List<String> audiences = jwt.getAudience() == null ? List.of() : jwt.getAudience();
        if (!audiences.contains(settings.audience())) {
            throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "not a token for uploads");
        }
        try {
            return grant(jwt);
        } catch (InvalidJidException | JWTDecodeException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "malformed claims");
        }
    }

    private SlotGrant grant(DecodedJWT jwt) throws InvalidTokenException {
        Instant now = clock.instant();
        Instant expires = required(jwt.getExpiresAtAsInstant());
        if (!now.isBefore(expires.plus(settings.clockSkew()))) {
            throw new InvalidTokenException(Reason.EXPIRED, "the slot expired");
        }
        if (now.plus(settings.clockSkew()).isBefore(required(jwt.getIssuedAtAsInstant()))) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID, "token issued in the future");
        }
        Jid user = Jid.parse(required(jwt.getSubject()));
        if (!user.isEntityBare()) {
            throw new InvalidTokenException(Reason.MALFORMED, "subject is not a bare JID");
        }
        Long size = required(jwt.getClaim(SlotGrant.SIZE_CLAIM).asLong());
        Claim type = jwt.getClaim(SlotGrant.CONTENT_TYPE_CLAIM);
        return new SlotGrant(user, required(jwt.getId()), required(jwt.getClaim(SlotGrant.FILE_NAME_CLAIM).asString()), size,
                type.isMissing() || type.isNull() ? Optional.empty() : Optional.of(required(type.asString())), expires);
    }

    private static <T> T required(T value) throws InvalidTokenException {
        if (value == null) {
            throw new InvalidTokenException(Reason.MALFORMED, "malformed claims");
        }
        return value;
    }
}
