package org.buddycloud.channels.token;

import java.time.Instant;
import java.util.Optional;

/** Persistence of refresh tokens, grouped in login sessions. */
public interface SessionStore {

    void insert(RefreshToken token);

    /** The token with this hash, as committed now. */
    Optional<RefreshToken> find(byte[] hash);

    /**
     * Holds the session until the transaction ends: every change to a session's tokens takes this first, so a
     * refresh and a revocation of the same session (a browser signing out sends both its tokens at once) queue
     * up instead of deadlocking over the session's rows.
     */
    void lockSession(String sessionId);

    void markUsed(byte[] hash, Instant at);

    /** Revokes every refresh token of the session. */
    void revokeSession(String sessionId, Instant at);

    /** Forgets refresh tokens that expired before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
