package org.buddycloud.servicekit.auth;

import io.quarkus.security.identity.SecurityIdentity;
import java.security.Principal;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/** The authenticated caller: always a bare JID. */
public record JidPrincipal(Jid jid) implements Principal {

    /** The caller's bare JID; empty for an anonymous request. */
    public static Optional<Jid> of(SecurityIdentity identity) {
        return identity.isAnonymous() ? Optional.empty() : Optional.of(((JidPrincipal) identity.getPrincipal()).jid());
    }

    @Override
    public String getName() {
        return jid.toString();
    }
}
