package org.buddycloud.contracts.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import org.buddycloud.contracts.WireNames;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.TokenRevocation;
import org.buddycloud.contracts.jid.Jid;

/**
 * An account's password changed (by its owner or through a reset); every token issued before is revoked.
 *
 * @param tokensValidFromGeneration tokens of this JID whose {@code gen} claim is lower are refused
 */
public record CredentialsChanged(Jid jid, Reason reason, Instant changedAt, long tokensValidFromGeneration)
        implements EventPayload, TokenRevocation {

    public enum Reason {
        PASSWORD_CHANGED, PASSWORD_RESET;

        @JsonValue
        public String wireName() {
            return WireNames.of(this);
        }

        @JsonCreator
        public static Reason fromWire(String value) {
            return WireNames.parse(Reason.class, value);
        }
    }

    @Override
    public Jid subject() {
        return jid;
    }

    @Override
    public void applyTo(RevocationList revocations) {
        revocations.revokeBelow(jid, tokensValidFromGeneration, changedAt);
    }
}
