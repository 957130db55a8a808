package org.buddycloud.channels.federation;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.cluster.Replicas;
import org.buddycloud.channels.xmpp.s2s.S2sConfig;
import org.buddycloud.channels.xmpp.s2s.S2sLinks;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * Works the durable queue: each peer's stanzas in order, on a few threads, one replica per peer at a time. A peer that
 * cannot be reached is tried again after a back-off (first-retry, doubled, up to last-retry), at once when one of its
 * servers connects to us. Events are done when written on a stream the peer believes; requests when answered (a
 * refusal goes to the user who made it). Events older than max-age are dropped, and the peer is then told it missed
 * something, so that it reads what changed.
 */
@ApplicationScoped
public class OutboundSender {

    private static final Logger LOG = Logger.getLogger(OutboundSender.class);
    private static final int BATCH = 200;
    /** How long the key of a sent event is kept: Kafka delivers an event again within minutes, not days. */
    private static final Duration SENT_KEPT = Duration.ofDays(1);

    private final OutboundQueue queue;
    private final S2sLinks links;
    private final S2sConfig config;
    private final RemoteIqs iqs;
    private final ChannelServerDiscovery discovery;
    private final XmppAddresses addresses;
    private final XmppConfig limits;
    private final SessionRegistry sessions;
    private final Clock clock;
    private final Set<String> working = ConcurrentHashMap.newKeySet();
    private final MeterRegistry metrics;
    private final String replica;
    private ScheduledExecutorService ticks;
    private java.util.concurrent.ExecutorService workers;
    private volatile long lastPurge;

    OutboundSender(OutboundQueue queue, S2sLinks links, S2sConfig config, RemoteIqs iqs, ChannelServerDiscovery discovery,
                   XmppAddresses addresses, XmppConfig limits, SessionRegistry sessions, Clock clock, MeterRegistry metrics,
                   Replicas replicas) {
        this.replica = replicas.id();
        this.queue = queue;
        this.links = links;
        this.config = config;
        this.iqs = iqs;
        this.discovery = discovery;
        this.addresses = addresses;
        this.limits = limits;
        this.sessions = sessions;
        this.clock = clock;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        if (!links.enabled()) {
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "federation-queue"));
        workers = Executors.newFixedThreadPool(4, task -> daemon(task, "federation-sender"));
        ticks.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        // told on a stream's thread: the database is asked on ours
        links.onProved(domain -> later(() -> {
            queue.retryNow(domain);
            tick();
        }));
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (ticks != null) {
            ticks.shutdownNow();
            workers.shutdownNow();
            workers.awaitTermination(5, TimeUnit.SECONDS);
            try {
                queue.releaseAll(replica);
            } catch (RuntimeException e) {
                LOG.infof("could not give back this replica's queue leases (they run out by themselves): %s", e.getMessage());
            }
        }
    }

    /** Something was queued: look now rather than at the next tick. */
    public void wake() {
        later(this::tick);
    }

    private void later(Runnable work) {
        if (ticks != null) {
            try {
                ticks.execute(() -> {
                    try {
                        work.run();
                    } catch (RuntimeException e) {
                        LOG.warnf("the federation queue could not be worked now: %s", e.getMessage());
                    }
                });
            } catch (RejectedExecutionException stopping) {
                // shutting down: the rows stay for the next start
            }
        }
    }

    private void tick() {
        try {
            purge();
            for (String peer : queue.duePeers(50)) {
                if (working.add(peer)) {
                    workers.execute(() -> {
                        try {
                            drain(peer);
                        } finally {
                            working.remove(peer);
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("the federation queue could not be read now: %s", e.getMessage());
        }
    }

    private void purge() {
        long now = clock.millis();
        // looked at every minute, or twice per max-age when that is shorter
        if (now - lastPurge < Math.min(60_000, config.queue().maxAge().toMillis() / 2)) {
            return;
        }
        lastPurge = now;
        queue.forgetSentBefore(clock.instant().minus(SENT_KEPT));
        int dropped = queue.dropEventsBefore(clock.instant().minus(config.queue().maxAge()));
        if (dropped > 0) {
            metrics.counter("buddycloud.federation.queue.dropped.peers").increment(dropped);
            LOG.warnf("dropped stanzas older than %s for %d servers; they will be told they missed something", config.queue().maxAge(), dropped);
        }
    }

    /**
     * One peer's line, as far as it goes now, while this replica holds its lease (renewed before each stanza, long
     * enough for one to be sent or answered). Each row is deleted once done, on its own: nothing waits in a
     * transaction while a stanza travels.
     */
    private void drain(String peer) {
        Duration lease = config.connectTimeout().plus(config.requestTimeout()).multipliedBy(2);
        if (!queue.lease(peer, replica, lease)) {
            return;
        }
        try {
            for (OutboundQueue.Row row : queue.next(peer, BATCH)) {
                if (!queue.lease(peer, replica, lease)) {
                    return;
                }
                Optional<String> failure = send(row);
                if (failure.isPresent()) {
                    queue.failed(peer, config.queue().firstRetry(), config.queue().lastRetry(), failure.get());
                    return;
                }
                queue.sent(row.id());
                metrics.counter("buddycloud.federation.queue.sent", "kind", row.kind().name()).increment();
            }
            if (queue.missed(peer)) {
                if (!tellMissed(peer)) {
                    queue.failed(peer, config.queue().firstRetry(), config.queue().lastRetry(), "cannot tell " + peer + " it missed something");
                    return;
                }
                queue.told(peer);
            }
            queue.succeeded(peer);
        } catch (RuntimeException e) {
            LOG.warnf("the queue for %s stopped: %s", peer, e.getMessage());
        } finally {
            queue.release(peer, replica);
        }
    }

    /**
     * {@code <you-missed-something/>} to the peer's channel server (the peer, or the server of the peer's domain);
     * whether it was written.
     */
    private boolean tellMissed(String peer) {
        String to = discovery.knownNow(peer).flatMap(service -> service).orElse(peer);
        XmlElement missed = XmlElement.of("message", Namespaces.CLIENT).attr("from", addresses.channelService()).attr("to", to);
        missed.add("you-missed-something", Namespaces.BUDDYCLOUD);
        try {
            return links.transmit(missed).get(config.connectTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Sends one row; empty when done with it, else why the peer cannot be reached now. */
    private Optional<String> send(OutboundQueue.Row row) {
        XmlElement stanza;
        try {
            stanza = Fragments.parse(row.stanza(), Integer.MAX_VALUE, limits.maxDepth());
        } catch (XmppStreamException e) {
            LOG.errorf("a queued stanza for %s cannot be read, dropped: %s", row.peer(), e.getMessage());
            return Optional.empty();
        }
        LOG.debugf("sending queued %s %d to %s", row.kind(), row.id(), row.peer());
        try {
            if (row.kind() == OutboundQueue.Kind.EVENT) {
                toChannelServer(stanza);
                boolean written = links.transmit(stanza).get(config.connectTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
                return written ? Optional.empty() : Optional.of("cannot reach " + row.peer());
            }
            RemoteIqs.Answer answer = iqs.ask(stanza).get(config.requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            if (answer.unreachable()) {
                return Optional.of("no answer from " + row.peer());
            }
            if (!answer.ok() && row.requester() != null) {
                refused(row, stanza, answer.stanza());
            }
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("no answer from " + row.peer());
        } catch (ExecutionException e) {
            return Optional.of(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("stopping");
        }
    }

    /**
     * A notification queued for a user of a domain whose channel server was not known then goes to that server if it
     * has one now (its inbox tells the user), else to the user.
     */
    private void toChannelServer(XmlElement stanza) throws InterruptedException, ExecutionException, TimeoutException {
        Jid to = Jid.parse(stanza.attr("to"));
        if (to.localpart().isPresent()) {
            discovery.channelService(to.domain()).get(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                    .ifPresent(service -> stanza.attr("to", service));
        }
    }

    /**
     * A queued write the remote refused (long after its author was told it was queued): the author's sessions hear,
     * as an error message saying which post of which node, and why.
     */
    private void refused(OutboundQueue.Row row, XmlElement request, XmlElement error) {
        Optional<XmlElement> write = request.element("pubsub", Namespaces.PUBSUB).flatMap(XmlElement::firstElement);
        String node = write.map(w -> w.attr("node")).orElse("?");
        String item = write.flatMap(w -> w.element("item", Namespaces.PUBSUB)).map(i -> i.attr("id")).orElse("?");
        String why = error.element("error", Namespaces.CLIENT).flatMap(e -> e.childText("text", Namespaces.STANZA_ERRORS))
                .orElse("refused");
        String text = "your " + write.map(XmlElement::name).orElse("request") + " of item " + item + " in " + node
                + " (queued while " + row.peer() + " was away) was refused there: " + why;
        Jid requester = Jid.parse(row.requester());
        for (var session : sessions.sessionsOf(requester.toBare())) {
            XmlElement message = XmlElement.of("message", Namespaces.CLIENT).attr("type", "error").attr("id", "queued-" + item)
                    .attr("from", addresses.channelService()).attr("to", session.fullJid()).addText("body", text);
            error.element("error", Namespaces.CLIENT).ifPresent(e -> message.append(e.inNamespace(Namespaces.CLIENT, Namespaces.CLIENT)));
            session.send(message);
        }
        LOG.infof("%s: %s", row.requester(), text);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
