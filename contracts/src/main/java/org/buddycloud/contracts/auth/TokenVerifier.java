package org.buddycloud.contracts.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.auth.InvalidTokenException.Reason;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;

/**
 * Checks the access tokens the channel server issues; every service uses it on every request.
 *
 * <p>A token is accepted only if it is an RS256 JWT signed by a key from {@link VerificationKeys},
 * has the expected issuer and audience, is within its validity period (with a small clock skew),
 * names a bare JID as subject, and is not revoked. Verified tokens are remembered for a while, so a
 * client reusing its token costs a map lookup; expiry and revocation are still checked every time.
 *
 * <p>The check of a new token uses auth0's java-jwt (Jackson parsing, one JDK signature check): it
 * costs about what the RSA verification alone costs, where jose4j's parser added some 30 µs
 * (bench/run verify).
 */
public final class TokenVerifier {

    /** Anything longer is not one of our tokens; refusing it early bounds the work an attacker can cause. */
    private static final int MAX_TOKEN_LENGTH = 8 * 1024;
    private static final String RS256 = "RS256";

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

    /**
     * {@link #verify} for a token verified before (its signature checked and cached): the claims if it is still
     * good, empty when it is not known yet — then {@link #verify} may have to fetch keys, which a caller on an event
     * loop does elsewhere.
     */
    public java.util.Optional<AccessTokenClaims> verifyIfKnown(String token) throws InvalidTokenException {
        AccessTokenClaims claims = token == null ? null : verified.getIfPresent(token);
        if (claims == null) {
            return java.util.Optional.empty();
        }
        checkTimes(claims);
        if (revocations.isRevoked(claims)) {
            throw new InvalidTokenException(Reason.REVOKED, "token revoked");
        }
        return java.util.Optional.of(claims);
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
        DecodedJWT jwt;
        try {
            jwt = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "not a valid signed JWT");
        }
        // only what we issue: no "none", no HMAC with the public key as secret, no extensions we cannot honour
        if (!RS256.equals(jwt.getAlgorithm()) || !jwt.getHeaderClaim("crit").isMissing()) {
            throw new InvalidTokenException(Reason.MALFORMED, "not a valid signed JWT");
        }
        PublicKey found = keys.find(jwt.getKeyId())
                .orElseThrow(() -> new InvalidTokenException(Reason.UNKNOWN_KEY, "unknown signing key"));
        if (!(found instanceof RSAPublicKey key)) {
            throw new InvalidTokenException(Reason.UNKNOWN_KEY, "signing key is not an RSA key");
        }
        try {
            Algorithm.RSA256(key, null).verify(jwt);
        } catch (SignatureVerificationException e) {
            throw new InvalidTokenException(Reason.BAD_SIGNATURE, "bad signature");
        }
        try {
            return toClaims(jwt);
        } catch (InvalidJidException | JWTDecodeException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "malformed claims: " + e.getMessage());
        }
    }

    private AccessTokenClaims toClaims(DecodedJWT jwt) throws InvalidTokenException {
        if (!settings.issuer().equals(jwt.getIssuer())) {
            throw new InvalidTokenException(Reason.WRONG_ISSUER, "unexpected issuer");
        }
        List<String> audiences = jwt.getAudience() == null ? List.of() : jwt.getAudience();
        if (!audiences.contains(settings.audience())) {
            throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "unexpected audience");
        }
        Jid subject = Jid.parse(required(jwt.getSubject(), "sub"));
        if (!subject.isEntityBare()) {
            throw new InvalidTokenException(Reason.MALFORMED, "subject is not a bare JID");
        }
        return new AccessTokenClaims(subject, jwt.getIssuer(), settings.audience(), required(jwt.getId(), "jti"),
                jwt.getClaim(AccessTokenClaims.SESSION_CLAIM).asString(),
                required(jwt.getClaim(AccessTokenClaims.GENERATION_CLAIM).asLong(), AccessTokenClaims.GENERATION_CLAIM),
                required(jwt.getIssuedAtAsInstant(), "iat"), required(jwt.getExpiresAtAsInstant(), "exp"));
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

    private static <T> T required(T value, String claim) throws InvalidTokenException {
        if (value == null) {
            throw new InvalidTokenException(Reason.MALFORMED, "malformed claims: missing claim " + claim);
        }
        return value;
    }
}
