package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * IQ requests the server itself sends to a client (disco#info for entity capabilities), and the
 * answers matched back to them by id and sender. An answer that never comes is forgotten after a
 * while; there are never more than a bounded number waiting.
 */
@ApplicationScoped
public class ServerRequests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int MAX_WAITING = 10_000;

    private record Waiting(String from, Instant sentAt, Consumer<XmlElement> onResult) {
    }

    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final Clock clock;

    ServerRequests(Clock clock) {
        this.clock = clock;
    }

    /** Sends the IQ (its id is set here) to the session; {@code onResult} gets the result, never an error. */
    public void send(ClientSession to, XmlElement iq, Consumer<XmlElement> onResult) {
        if (waiting.size() >= MAX_WAITING) {
            forgetOld();
            if (waiting.size() >= MAX_WAITING) {
                return;
            }
        }
        String id = "srv-" + UUID.randomUUID();
        waiting.put(id, new Waiting(to.fullJid().toString(), clock.instant(), onResult));
        to.send(iq.attr("id", id).attr("to", to.fullJid()));
    }

    /** An IQ result or error a client sent to the server: true when it answered one of ours (and was handled). */
    public boolean answered(XmlElement iq) {
        String id = iq.attr("id");
        if (id == null || !id.startsWith("srv-")) {
            return false;
        }
        Waiting request = waiting.get(id);
        if (request == null || !request.from().equals(iq.attr("from"))) {
            return true;
        }
        waiting.remove(id);
        if ("result".equals(iq.attr("type"))) {
            request.onResult().accept(iq);
        }
        return true;
    }

    private void forgetOld() {
        Instant cutoff = clock.instant().minus(PATIENCE);
        waiting.values().removeIf(w -> w.sentAt().isBefore(cutoff));
    }
}
