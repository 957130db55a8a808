package org.buddycloud.friends.domain;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** A user's claim to an identifier, as its holder sees it: never the identifier itself, only its masked form. */
public record Claim(String id, Jid jid, Medium medium, String masked, boolean discoverable, Instant verifiedAt,
                    Instant createdAt) {

    public boolean verified() {
        return verifiedAt != null;
    }
}
