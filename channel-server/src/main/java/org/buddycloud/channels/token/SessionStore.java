package org.buddycloud.channels.token;

import java.time.Instant;
import java.util.Optional;

/** Persistence of refresh tokens, grouped in login sessions. */
public interface SessionStore {

    void insert(RefreshToken token);

    /** The token with this hash, locked against concurrent refreshes until the transaction ends. */
    Optional<RefreshToken> lock(byte[] hash);

    void markUsed(byte[] hash, Instant at);

    /** Revokes every refresh token of the session. */
    void revokeSession(String sessionId, Instant at);

    /** Forgets refresh tokens that expired before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
