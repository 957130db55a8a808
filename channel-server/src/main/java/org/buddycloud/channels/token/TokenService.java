package org.buddycloud.channels.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.buddycloud.channels.account.Account;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.account.OpaqueTokens;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.auth.AccessTokenClaims;
import org.buddycloud.contracts.auth.InvalidTokenException;
import org.buddycloud.contracts.auth.TokenVerifier;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.SessionRevoked;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Login sessions: a short-lived signed access token plus a single-use refresh token. A password
 * change ends every session (the account's token generation moves on); revoking a token ends its
 * session everywhere, through a {@code session-revoked} event.
 */
public final class TokenService {

    private final SessionStore sessions;
    private final AccountStore accounts;
    private final AccessTokenSigner signer;
    private final TokenVerifier verifier;
    private final EventOutbox outbox;
    private final TokenPolicy policy;
    private final SecureRandom random;
    private final Clock clock;

    public TokenService(SessionStore sessions, AccountStore accounts, AccessTokenSigner signer, TokenVerifier verifier,
                        EventOutbox outbox, TokenPolicy policy, SecureRandom random, Clock clock) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.signer = signer;
        this.verifier = verifier;
        this.outbox = outbox;
        this.policy = policy;
        this.random = random;
        this.clock = clock;
    }

    /** A new session for an account that has just proved its password. */
    public TokenGrant login(Account account) {
        return grant(account, UUID.randomUUID().toString());
    }

    /**
     * Spends a refresh token for a new pair in the same session. A token presented a second time
     * ends the session: the legitimate client and whoever copied the token both have to log in.
     * The revocation must be committed even though the call is refused.
     */
    public TokenGrant refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 200) {
            throw new DomainException(Condition.BAD_REQUEST, "a refresh_token is required");
        }
        RefreshToken stored = lockedWithItsSession(OpaqueTokens.hash(refreshToken.trim())).orElseThrow(TokenService::invalidRefresh);
        Instant now = clock.instant();
        if (stored.usedAt() != null && stored.revokedAt() == null) {
            revokeSession(stored.jid(), stored.sessionId());
            throw new DomainException(Condition.NOT_AUTHORIZED, "the refresh token was already used; the session is ended");
        }
        if (!stored.usableAt(now)) {
            throw invalidRefresh();
        }
        Account account = accounts.find(stored.jid())
                .filter(a -> a.tokenGeneration() == stored.generation())
                .orElseThrow(TokenService::invalidRefresh);
        sessions.markUsed(stored.hash(), now);
        return grant(account, stored.sessionId());
    }

    /**
     * Ends the session of an access or refresh token (RFC 7009: an unknown or invalid token is
     * not an error, there is simply nothing to revoke).
     */
    public void revoke(String token) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            return;
        }
        if (token.indexOf('.') > 0) {
            try {
                AccessTokenClaims claims = verifier.verify(token.trim());
                revokeSession(claims.subject(), claims.sessionId());
            } catch (InvalidTokenException e) {
                // expired, foreign or already revoked: nothing left to revoke
            }
            return;
        }
        Optional<RefreshToken> stored = lockedWithItsSession(OpaqueTokens.hash(token.trim()));
        stored.filter(t -> t.revokedAt() == null).ifPresent(t -> revokeSession(t.jid(), t.sessionId()));
    }

    /**
     * The token as it stands once its session is held: read again after the lock, so a refresh that waited sees
     * the other's use or revocation.
     */
    private Optional<RefreshToken> lockedWithItsSession(byte[] hash) {
        return sessions.find(hash).flatMap(found -> {
            sessions.lockSession(found.sessionId());
            return sessions.find(hash);
        });
    }

    /**
     * An access token the server uses on the account's behalf (an export fetching the account's files from the media
     * server): short-lived, without a refresh token, revoked with the account's others by a password change.
     */
    public String delegated(Account account, String purpose) {
        Instant now = clock.instant();
        return signer.sign(new AccessTokenClaims(account.jid(), policy.issuer(), policy.audience(), UUID.randomUUID().toString(),
                purpose, account.tokenGeneration(), now, now.plus(policy.accessTokenLifetime())));
    }

    private TokenGrant grant(Account account, String sessionId) {
        Instant now = clock.instant();
        String refreshToken = OpaqueTokens.generate(random);
        sessions.insert(new RefreshToken(OpaqueTokens.hash(refreshToken), sessionId, account.jid(),
                account.tokenGeneration(), now, now.plus(policy.refreshTokenLifetime()), null, null));
        String accessToken = signer.sign(new AccessTokenClaims(account.jid(), policy.issuer(), policy.audience(),
                UUID.randomUUID().toString(), sessionId, account.tokenGeneration(), now, now.plus(policy.accessTokenLifetime())));
        return new TokenGrant(accessToken, policy.accessTokenLifetime().toSeconds(), refreshToken, sessionId);
    }

    private void revokeSession(Jid jid, String sessionId) {
        sessions.lockSession(sessionId);
        Instant now = clock.instant();
        sessions.revokeSession(sessionId, now);
        outbox.add(EventTypes.SESSION_REVOKED,
                new SessionRevoked(jid, sessionId, now, now.plus(policy.accessTokenLifetime())));
    }

    private static DomainException invalidRefresh() {
        return new DomainException(Condition.NOT_AUTHORIZED, "the refresh token is invalid, expired or revoked");
    }
}
