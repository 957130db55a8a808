package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** An account was created. The e-mail lets push and friend finding sign the user up without calling back. */
public record AccountRegistered(Jid jid, String email, Instant registeredAt) implements EventPayload {
    @Override
    public Jid subject() {
        return jid;
    }
}
