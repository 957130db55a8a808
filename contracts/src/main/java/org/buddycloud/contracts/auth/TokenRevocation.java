package org.buddycloud.contracts.auth;

/** An account event that revokes tokens; services apply it to their {@link RevocationList}. */
public interface TokenRevocation {
    void applyTo(RevocationList revocations);
}
