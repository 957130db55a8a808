package org.buddycloud.gateway.live;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/**
 * One change a stream may carry: where it sits in its partition, the position of the hub just after it (its SSE
 * id), the event as the contracts describe it (for the access rule) and its JSON for clients, encoded once.
 *
 * @param name    the SSE event name: {@code post}, {@code post-updated}, {@code retract}, {@code subscription},
 *                {@code affiliation}, {@code node-deleted}, {@code channel-deleted}
 * @param itemId  the post's id for post events, else null
 */
public record LiveEvent(String partition, long offset, Position position, Instant at, Object data, String name,
                        Jid channel, String node, String itemId, String json) {

    public boolean isPost() {
        return name.equals("post") || name.equals("post-updated");
    }
}
