package org.buddycloud.channels.pep;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** One published item: its payload is the XML the owner published, as this server wrote it back out. */
public record PepItem(Jid owner, String node, String id, String payload, Instant publishedAt) {
}
