package org.buddycloud.channels.xmpp.cluster;

import java.util.List;
import org.buddycloud.contracts.jid.Jid;

/** Available sessions of a replica that died: nobody told their contacts they went. */
public record SessionsLost(List<Jid> fullJids) {
}
