package org.buddycloud.servicekit.auth;

import java.security.Principal;
import org.buddycloud.contracts.jid.Jid;

/** The authenticated caller: always a bare JID. */
public record JidPrincipal(Jid jid) implements Principal {
    @Override
    public String getName() {
        return jid.toString();
    }
}
