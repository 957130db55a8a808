package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.TokenRevocation;
import org.buddycloud.contracts.jid.Jid;

/**
 * One login session (an access token and its refresh token, claim {@code sid}) was revoked.
 *
 * @param expiresAt when the last access token of the session expires anyway; the revocation can be forgotten then
 */
public record SessionRevoked(Jid jid, String sessionId, Instant revokedAt, Instant expiresAt)
        implements EventPayload, TokenRevocation {

    @Override
    public Jid subject() {
        return jid;
    }

    @Override
    public void applyTo(RevocationList revocations) {
        revocations.revokeSession(sessionId, expiresAt);
    }
}
