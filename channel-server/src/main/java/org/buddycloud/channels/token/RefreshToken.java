package org.buddycloud.channels.token;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/**
 * A stored refresh token (its hash only). Each is used once: a refresh spends it and hands out a
 * new one in the same session, so a replayed token shows that someone else holds a copy.
 */
public record RefreshToken(byte[] hash, String sessionId, Jid jid, long generation, Instant issuedAt,
                           Instant expiresAt, Instant usedAt, Instant revokedAt) {

    boolean usableAt(Instant now) {
        return usedAt == null && revokedAt == null && now.isBefore(expiresAt);
    }
}
