package org.buddycloud.channels.xmpp.pubsub;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.cluster.RelayedXml;
import org.buddycloud.channels.xmpp.cluster.ReplicaBus;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * XEP-0070: an HTTP service (the media server) asks whether a request really comes from a user;
 * the channel service asks the user's connected client with a {@code <confirm/>} message and
 * reports whether the client accepted, denied or did not answer in time — whichever replica the client is on.
 */
@ApplicationScoped
public class HttpConfirmations {

    /** What came of a confirmation request. */
    public enum Result { ACCEPTED, DENIED, TIMEOUT, NOT_CONNECTED }

    /** The result and the transaction id the user was shown. */
    public record Outcome(Result result, String transaction) {
    }

    private record Pending(Jid user, CompletableFuture<Result> outcome) {
    }

    private final SessionRegistry registry;
    private final XmppAddresses addresses;
    private final ReplicaBus replicas;
    private final XmppConfig config;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    HttpConfirmations(SessionRegistry registry, XmppAddresses addresses, ReplicaBus replicas, XmppConfig config) {
        this.registry = registry;
        this.addresses = addresses;
        this.replicas = replicas;
        this.config = config;
    }

    /** Answers given to clients of other replicas, for requests waiting here. */
    void listen(@Observes StartupEvent event) {
        replicas.on(ReplicaBus.Kind.CONFIRMATION, message -> RelayedXml.parse(message.body(), config)
                .ifPresent(answer -> answerHere(answer, Jid.parse(message.args().get(0)))));
    }

    /**
     * Asks the client(s) of {@code jid} (a full JID: that client; a bare JID: every client the user
     * has connected) to confirm {@code method url}, identified by {@code transaction}.
     */
    public CompletableFuture<Outcome> request(Jid jid, String method, String url, String transaction, Duration timeout) {
        Map<Jid, StanzaSink> targets = new java.util.HashMap<>();
        if (jid.isBare()) {
            registry.sessionsOf(jid).stream().filter(ClientSession::available).forEach(s -> targets.put(s.fullJid(), s));
            targets.putAll(registry.channelTargets(jid));
        } else {
            registry.session(jid).ifPresent(s -> targets.put(jid, s));
            StanzaSink viaService = registry.channelTargets(jid.toBare()).get(jid);
            if (viaService != null) {
                targets.putIfAbsent(jid, viaService);
            }
        }
        String id = transaction == null || transaction.isBlank() ? UUID.randomUUID().toString() : transaction;
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(Result.NOT_CONNECTED, id));
        }
        CompletableFuture<Result> outcome = new CompletableFuture<Result>().completeOnTimeout(Result.TIMEOUT,
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (pending.putIfAbsent(id, new Pending(jid.toBare(), outcome)) != null) {
            throw new DomainException(Condition.CONFLICT, "transaction " + id + " is already waiting for an answer");
        }
        outcome.whenComplete((result, error) -> pending.remove(id));
        targets.forEach((full, sink) -> {
            XmlElement message = XmlElement.of("message", Namespaces.CLIENT).attr("from", addresses.channelService()).attr("to", full)
                    .attr("type", "normal").attr("id", id);
            message.addText("thread", UUID.randomUUID().toString());
            message.addText("body", "Someone (maybe you) asked to " + method + " " + url + " as you. Confirm with transaction " + id + ".");
            message.add("confirm", Namespaces.HTTP_AUTH).attr("id", id).attr("method", method).attr("url", url);
            sink.send(message);
        });
        return outcome.thenApply(result -> new Outcome(result, id));
    }

    /**
     * A client's answer: the confirm echoed back accepts; an error reply denies. A request another replica asked (its
     * HTTP caller waits there) is not known here: the answer goes to the other replicas, where one knows it.
     */
    void answer(XmlElement message, Jid from) {
        if (!answerHere(message, from)) {
            replicas.broadcast(ReplicaBus.Kind.CONFIRMATION, message.toXml(), from.toString());
        }
    }

    /** False when no request of this id waits here. */
    private boolean answerHere(XmlElement message, Jid from) {
        XmlElement confirm = message.element("confirm", Namespaces.HTTP_AUTH).orElseThrow();
        Pending request = pending.get(confirm.attr("id"));
        if (request == null) {
            return false;
        }
        if (request.user().equals(from.toBare())) {
            request.outcome().complete("error".equals(message.attr("type")) ? Result.DENIED : Result.ACCEPTED);
        }
        return true;
    }
}
