package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.TokenRevocation;
import org.buddycloud.contracts.jid.Jid;

/**
 * An account was deleted; every token issued to it so far is revoked.
 *
 * @param tokensValidFromGeneration tokens of this JID whose {@code gen} claim is lower are refused
 */
public record AccountDeleted(Jid jid, Instant deletedAt, long tokensValidFromGeneration)
        implements EventPayload, TokenRevocation {

    @Override
    public Jid subject() {
        return jid;
    }

    @Override
    public void applyTo(RevocationList revocations) {
        revocations.revokeBelow(jid, tokensValidFromGeneration, deletedAt);
    }
}
