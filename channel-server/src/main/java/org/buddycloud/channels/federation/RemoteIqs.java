package org.buddycloud.channels.federation;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.cluster.RelayedXml;
import org.buddycloud.channels.xmpp.cluster.ReplicaBus;
import org.buddycloud.channels.xmpp.cluster.Replicas;
import org.buddycloud.channels.xmpp.s2s.S2sConfig;
import org.buddycloud.channels.xmpp.s2s.S2sLinks;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * IQ requests this server sends to other domains, each waiting for its answer: the result, the remote's error, or an
 * error of ours when the remote cannot be reached or does not answer in time ({@link Answer#unreachable()}). An
 * answer that comes in on a stream another replica holds is passed to the replica that asked (its name is in the id).
 */
@ApplicationScoped
public class RemoteIqs {

    private static final String PREFIX = "fed~";

    /** The answer to one request; {@code unreachable}: it never got there or no answer came, so it may be sent again. */
    public record Answer(XmlElement stanza, boolean unreachable) {

        public boolean ok() {
            return "result".equals(stanza.attr("type"));
        }

        /** The first child of the result (its payload), if any. */
        public java.util.Optional<XmlElement> payload() {
            return stanza.firstElement();
        }
    }

    private final S2sLinks links;
    private final S2sConfig config;
    private final ReplicaBus bus;
    private final XmppConfig limits;
    private final String replica;
    /** A request waiting: its answer, and who must give it (an answer from anyone else is not believed). */
    private record Waiting(CompletableFuture<Answer> answer, String from) {
    }

    private final Replicas replicas;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    RemoteIqs(S2sLinks links, S2sConfig config, ReplicaBus bus, Replicas replicas, XmppConfig limits) {
        this.links = links;
        this.config = config;
        this.bus = bus;
        this.limits = limits;
        this.replica = replicas.id();
        this.replicas = replicas;
    }

    void listen(@Observes StartupEvent event) {
        bus.on(ReplicaBus.Kind.FEDERATION_ANSWER, message -> RelayedXml.parse(message.body(), limits).ifPresent(this::complete));
    }

    /** Sends {@code iq} (from and to set; its id is replaced by ours) and answers when the remote did, or could not. */
    public CompletableFuture<Answer> ask(XmlElement iq) {
        String id = PREFIX + replica + "~" + UUID.randomUUID();
        iq.attr("id", id);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        waiting.put(id, new Waiting(answer, iq.attr("to")));
        answer.completeOnTimeout(new Answer(Stanzas.error(iq, "wait", "remote-server-timeout",
                        iq.attr("to") + " did not answer within " + config.requestTimeout().toSeconds() + " s", null), true),
                config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, failure) -> waiting.remove(id));
        // an error our side made (no stream to the remote) means it never got there
        links.send(error -> answer.complete(new Answer(error, true)), iq);
        return answer;
    }

    /**
     * A result or error addressed to the channel service: true when it answers one of our requests (here or, passed
     * on, on another replica), false when it is nobody's.
     */
    public boolean answered(XmlElement stanza) {
        String id = stanza.attr("id");
        if (id == null || !id.startsWith(PREFIX)) {
            return false;
        }
        if (complete(stanza)) {
            return true;
        }
        int end = id.indexOf('~', PREFIX.length());
        String asker = end < 0 ? null : id.substring(PREFIX.length(), end);
        // passed on only to a replica alive now: a made-up name costs the sender, not our database
        if (asker != null && !asker.equals(replica) && replicas.others().contains(asker)) {
            bus.send(asker, ReplicaBus.Kind.FEDERATION_ANSWER, stanza.toXml());
            return true;
        }
        return false;
    }

    private boolean complete(XmlElement stanza) {
        Waiting asked = waiting.get(stanza.attr("id"));
        if (asked == null) {
            return false;
        }
        if (!asked.from().equalsIgnoreCase(String.valueOf(stanza.attr("from")))) {
            // the id is ours, the answer not from whom we asked: not believed (it is ours to drop)
            return true;
        }
        waiting.remove(stanza.attr("id"), asked);
        asked.answer().complete(new Answer(stanza, false));
        return true;
    }
}
