package org.buddycloud.channels.roster;

import java.util.Collection;
import org.buddycloud.contracts.jid.Jid;

/**
 * Whether a blocklist entry covers an address (XEP-0191 §3.4, matching as XEP-0016 does): an entry
 * that is a full JID covers that resource, a bare JID every resource of it, a domain everyone there,
 * and a domain with a resource that resource at the domain.
 */
public final class Blocklist {

    private Blocklist() {
    }

    /** The entries that would cover {@code address}; a store looks for any of them. */
    public static java.util.List<String> entriesCovering(Jid address) {
        java.util.List<String> entries = new java.util.ArrayList<>(4);
        entries.add(address.toString());
        if (!address.isBare()) {
            entries.add(address.toBare().toString());
        }
        if (address.localpart().isPresent()) {
            address.resource().ifPresent(resource -> entries.add(address.domain() + "/" + resource));
            entries.add(address.domain());
        }
        return entries;
    }

    public static boolean covers(Collection<Jid> entries, Jid address) {
        for (String entry : entriesCovering(address)) {
            if (entries.stream().anyMatch(blocked -> blocked.toString().equals(entry))) {
                return true;
            }
        }
        return false;
    }
}
