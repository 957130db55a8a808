package org.buddycloud.contracts.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.contracts.jid.Jid;

/**
 * The revocations a service has learnt from {@code buddycloud.accounts}, kept in memory.
 *
 * <p>Two kinds: a generation floor per account (a password change or deletion revokes every token
 * issued before it) and single sessions (logout, refresh-token revocation). Entries are only needed
 * while a token they revoke could still be unexpired, so {@link #purge} drops older ones; the
 * retention must be at least the longest access-token lifetime.
 */
public final class RevocationList {

    private record Floor(long generation, Instant recordedAt) {
    }

    private final Map<Jid, Floor> floors = new ConcurrentHashMap<>();
    private final Map<String, Instant> revokedSessions = new ConcurrentHashMap<>();
    private final Duration retention;

    public RevocationList(Duration retention) {
        this.retention = retention;
    }

    /** Refuse every token of {@code subject} whose generation is below {@code generation}. */
    public void revokeBelow(Jid subject, long generation, Instant at) {
        floors.merge(subject, new Floor(generation, at),
                (old, proposed) -> proposed.generation() >= old.generation() ? proposed : old);
    }

    /** Refuse every token of the session until {@code until}, when they have all expired anyway. */
    public void revokeSession(String sessionId, Instant until) {
        revokedSessions.merge(sessionId, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    public boolean isRevoked(AccessTokenClaims claims) {
        Floor floor = floors.get(claims.subject());
        if (floor != null && claims.generation() < floor.generation()) {
            return true;
        }
        return claims.sessionId() != null && revokedSessions.containsKey(claims.sessionId());
    }

    /** Forgets revocations that can no longer matter at {@code now}. */
    public void purge(Instant now) {
        revokedSessions.values().removeIf(until -> until.isBefore(now));
        floors.values().removeIf(floor -> floor.recordedAt().plus(retention).isBefore(now));
    }

    public int size() {
        return floors.size() + revokedSessions.size();
    }
}
