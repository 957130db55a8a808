package org.buddycloud.channels.federation;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
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
    private ScheduledExecutorService ticks;
    private java.util.concurrent.ExecutorService workers;
    private volatile long lastPurge;

    OutboundSender(OutboundQueue queue, S2sLinks links, S2sConfig config, RemoteIqs iqs, ChannelServerDiscovery discovery,
                   XmppAddresses addresses, XmppConfig limits, SessionRegistry sessions, Clock clock, MeterRegistry metrics) {
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

    void stop(@Observes ShutdownEvent event) {
        if (ticks != null) {
            ticks.shutdownNow();
            workers.shutdownNow();
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
        if (now - lastPurge < 60_000) {
            return;
        }
        lastPurge = now;
        int dropped = queue.dropEventsBefore(clock.instant().minus(config.queue().maxAge()));
        if (dropped > 0) {
            LOG.warnf("dropped stanzas older than %s for %d servers; they will be told they missed something", config.queue().maxAge(), dropped);
        }
    }

    /** One peer's line, as far as it goes now, in one transaction that holds the line for this replica. */
    private void drain(String peer) {
        try {
            QuarkusTransaction.requiringNew().timeout((int) (config.connectTimeout().toSeconds() + config.requestTimeout().toSeconds()) * 4)
                    .run(() -> {
                        if (!queue.lock(peer)) {
                            return;
                        }
                        for (OutboundQueue.Row row : queue.next(peer, BATCH)) {
                            Optional<String> failure = send(row);
                            if (failure.isPresent()) {
                                queue.failed(peer, config.queue().firstRetry(), config.queue().lastRetry(), failure.get());
                                return;
                            }
                            queue.delete(row.id());
                            metrics.counter("buddycloud.federation.queue.sent", "kind", row.kind().name()).increment();
                        }
                        if (queue.takeMissed(peer)) {
                            XmlElement missed = XmlElement.of("message", Namespaces.CLIENT).attr("from", addresses.channelService())
                                    .attr("to", peer);
                            missed.add("you-missed-something", Namespaces.BUDDYCLOUD);
                            links.transmit(missed);
                        }
                        queue.succeeded(peer);
                    });
        } catch (RuntimeException e) {
            LOG.warnf("the queue for %s stopped: %s", peer, e.getMessage());
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

    /** A queued write the remote refused: its author hears, as an error message with the request's id. */
    private void refused(OutboundQueue.Row row, XmlElement request, XmlElement error) {
        Jid requester = Jid.parse(row.requester());
        for (var session : sessions.sessionsOf(requester.toBare())) {
            XmlElement message = XmlElement.of("message", Namespaces.CLIENT).attr("type", "error").attr("id", request.attr("id"))
                    .attr("from", addresses.channelService()).attr("to", session.fullJid());
            error.element("error", Namespaces.CLIENT).ifPresent(e -> message.append(e.inNamespace(Namespaces.CLIENT, Namespaces.CLIENT)));
            session.send(message);
        }
        LOG.infof("%s refused a queued request of %s: %s", row.peer(), row.requester(), error.toXml());
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
