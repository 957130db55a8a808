package org.buddycloud.contracts.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.auth.InvalidTokenException.Reason;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

/**
 * Checks the access tokens the channel server issues; every service uses it on every request.
 *
 * <p>A token is accepted only if it is an RS256 JWT signed by a key from {@link VerificationKeys},
 * has the expected issuer and audience, is within its validity period (with a small clock skew),
 * names a bare JID as subject, and is not revoked. Verified tokens are remembered for a while, so a
 * client reusing its token costs a map lookup; expiry and revocation are still checked every time.
 */
public final class TokenVerifier {

    /** Anything longer is not one of our tokens; refusing it early bounds the work an attacker can cause. */
    private static final int MAX_TOKEN_LENGTH = 8 * 1024;
    private static final AlgorithmConstraints ONLY_RS256 =
            new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256);

    public record Settings(String issuer, String audience, Duration clockSkew, int cacheSize) {
    }

    private final VerificationKeys keys;
    private final RevocationList revocations;
    private final Settings settings;
    private final Clock clock;
    private final Cache<String, AccessTokenClaims> verified;

    public TokenVerifier(VerificationKeys keys, RevocationList revocations, Settings settings, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.settings = settings;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(settings.cacheSize()).build();
    }

    public AccessTokenClaims verify(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(Reason.MALFORMED, "missing or oversized token");
        }
        AccessTokenClaims claims = verified.getIfPresent(token);
        if (claims == null) {
            claims = verifySignatureAndClaims(token);
            verified.put(token, claims);
        }
        checkTimes(claims);
        if (revocations.isRevoked(claims)) {
            throw new InvalidTokenException(Reason.REVOKED, "token revoked");
        }
        return claims;
    }

    private AccessTokenClaims verifySignatureAndClaims(String token) throws InvalidTokenException {
        JwtClaims jwt;
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(ONLY_RS256);
            jws.setCompactSerialization(token);
            PublicKey key = keys.find(jws.getKeyIdHeaderValue())
                    .orElseThrow(() -> new InvalidTokenException(Reason.UNKNOWN_KEY, "unknown signing key"));
            jws.setKey(key);
            if (!jws.verifySignature()) {
                throw new InvalidTokenException(Reason.BAD_SIGNATURE, "bad signature");
            }
            jwt = JwtClaims.parse(jws.getPayload());
        } catch (JoseException | InvalidJwtException | RuntimeException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "not a valid signed JWT");
        }
        try {
            return toClaims(jwt);
        } catch (MalformedClaimException | InvalidJidException | ArithmeticException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "malformed claims: " + e.getMessage());
        }
    }

    private AccessTokenClaims toClaims(JwtClaims jwt) throws MalformedClaimException, InvalidTokenException {
        if (!settings.issuer().equals(jwt.getIssuer())) {
            throw new InvalidTokenException(Reason.WRONG_ISSUER, "unexpected issuer");
        }
        List<String> audiences = jwt.hasAudience() ? jwt.getAudience() : List.of();
        if (!audiences.contains(settings.audience())) {
            throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "unexpected audience");
        }
        Jid subject = Jid.parse(required(jwt.getSubject(), "sub"));
        if (!subject.isEntityBare()) {
            throw new InvalidTokenException(Reason.MALFORMED, "subject is not a bare JID");
        }
        Number generation = jwt.getClaimValue(AccessTokenClaims.GENERATION_CLAIM, Number.class);
        return new AccessTokenClaims(subject, jwt.getIssuer(), settings.audience(), required(jwt.getJwtId(), "jti"),
                jwt.getStringClaimValue(AccessTokenClaims.SESSION_CLAIM),
                required(generation, AccessTokenClaims.GENERATION_CLAIM).longValue(),
                instant(required(jwt.getIssuedAt(), "iat")), instant(required(jwt.getExpirationTime(), "exp")));
    }

    private void checkTimes(AccessTokenClaims claims) throws InvalidTokenException {
        Instant now = clock.instant();
        if (!now.isBefore(claims.expiresAt().plus(settings.clockSkew()))) {
            throw new InvalidTokenException(Reason.EXPIRED, "token expired");
        }
        if (now.plus(settings.clockSkew()).isBefore(claims.issuedAt())) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID, "token issued in the future");
        }
    }

    private static <T> T required(T value, String claim) throws MalformedClaimException {
        if (value == null) {
            throw new MalformedClaimException("missing claim " + claim);
        }
        return value;
    }

    private static Instant instant(NumericDate date) {
        return Instant.ofEpochSecond(date.getValue());
    }
}
