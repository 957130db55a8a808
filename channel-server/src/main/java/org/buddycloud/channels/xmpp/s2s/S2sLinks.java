package org.buddycloud.channels.xmpp.s2s;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.accept.ConnectedComponents;
import org.buddycloud.channels.xmpp.stream.XmppServer;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.s2s.DialbackKey;
import org.buddycloud.xmppkit.s2s.PeerAddress;
import org.buddycloud.xmppkit.s2s.PeerResolver;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jboss.logging.Logger;

/**
 * This server's links with other domains' servers: one outgoing stream per pair of (our name, their name), opened when
 * a stanza needs it and closed when idle; the incoming streams other servers opened to us; and the dialback round
 * trips between them. The routing decides what is remote; this only carries it there and back.
 */
@ApplicationScoped
public class S2sLinks {

    private static final Logger LOG = Logger.getLogger(S2sLinks.class);
    private static final int MAX_WAITING_LOOKUPS = 200;

    private final Vertx vertx;
    private final S2sConfig config;
    private final boolean enabled;
    private final XmppAddresses addresses;
    private final ConnectedComponents components;
    private final XmppServer server;
    private final DialbackSecret secret;
    private final MeterRegistry metrics;
    private final PeerResolver resolver;
    private final PeerCertificates certificates;
    private final Map<String, OutgoingLink> outgoing = new ConcurrentHashMap<>();
    /**
     * DNS look-ups block: they run on threads of their own (not the stanza workers), few, with a bounded queue, so that
     * streams claiming made-up domains whose name servers never answer cannot hold up the server.
     */
    private final ThreadPoolExecutor resolving = new ThreadPoolExecutor(4, 4, 1, TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(MAX_WAITING_LOOKUPS), task -> {
                Thread thread = new Thread(task, "s2s-dns");
                thread.setDaemon(true);
                return thread;
            });
    private final Set<IncomingS2sStream> incoming = ConcurrentHashMap.newKeySet();
    private final List<java.util.function.Consumer<String>> provedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StanzaSink sink = stanza -> send(StanzaSink.NOWHERE, stanza);
    private volatile NetClient client;

    S2sLinks(Vertx vertx, S2sConfig config, XmppConfig xmpp, XmppAddresses addresses, ConnectedComponents components, XmppServer server,
             DialbackSecret secret, MeterRegistry metrics) {
        this.vertx = vertx;
        this.config = config;
        // in component mode the XMPP server we are a component of talks to other domains
        this.enabled = config.enabled() && xmpp.enabled() && !xmpp.component().enabled();
        this.addresses = addresses;
        this.components = components;
        this.server = server;
        this.secret = secret;
        this.metrics = metrics;
        this.certificates = new PeerCertificates(config.trustStore(), config.trustStorePassword());
        this.resolver = new PeerResolver(routes(config.routes()), config.dns().enabled(), config.dns().server(), config.dns().timeout());
        metrics.gauge("buddycloud.s2s.incoming.streams", incoming, Set::size);
        metrics.gauge("buddycloud.s2s.outgoing.streams", outgoing, links -> links.values().stream().filter(OutgoingLink::ready).count());
    }

    public boolean enabled() {
        return enabled;
    }

    /** A name this server answers for: its domain, the channel service, an accepted component. */
    public boolean hosts(String domain) {
        if (domain.equals(addresses.domain()) || domain.equals(addresses.channelService())) {
            return true;
        }
        try {
            return components.serves(Jid.parse(domain));
        } catch (InvalidJidException e) {
            return false;
        }
    }

    /** Where answers to a remote server's stanzas go: over our own stream to its domain. */
    StanzaSink sink() {
        return sink;
    }

    /** Whether the remote's certificate chain is trusted and names {@code domain} (XEP-0178). */
    boolean certificateProves(NetSocket socket, String domain) {
        if (domain == null || !socket.isSsl()) {
            return false;
        }
        try {
            return certificates.prove(socket.peerCertificates(), domain);
        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
            return false;
        }
    }

    DialbackKey keys() {
        return secret.keys();
    }

    /**
     * Sends a stanza to another domain, from one of ours; {@code from} hears if it cannot go (RFC 6120 §8.4: the
     * remote server not found, or not answering).
     */
    public void send(StanzaSink from, XmlElement stanza) {
        Jid sender = jid(stanza.attr("from"));
        Jid recipient = jid(stanza.attr("to"));
        if (sender == null || recipient == null || !hosts(sender.domain()) || hosts(recipient.domain())) {
            LOG.warnf("not sent to another server: not from a name of ours, or to one: %s", stanza);
            return;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            OutgoingLink link = link(sender.domain(), recipient.domain());
            if (link.send(from, stanza)) {
                return;
            }
            forget(link, false);
        }
        from.send(Stanzas.error(stanza, "wait", "remote-server-timeout", "the stream to " + recipient.domain() + " ended", null));
    }

    /**
     * Sends a stanza to another domain for someone who keeps it until it went (a durable queue): completes with true
     * once it is written on a stream the remote believes, false when the remote cannot be reached now. Written is not
     * received: a stream that breaks just after loses it, which the queue's owner makes up for by reconciling.
     */
    public CompletableFuture<Boolean> transmit(XmlElement stanza) {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        Jid sender = jid(stanza.attr("from"));
        Jid recipient = jid(stanza.attr("to"));
        if (!enabled || sender == null || recipient == null || !hosts(sender.domain()) || hosts(recipient.domain())) {
            LOG.warnf("not sent to another server: not from a name of ours, or to one: %s", stanza);
            outcome.complete(false);
            return outcome;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            OutgoingLink link = link(sender.domain(), recipient.domain());
            if (link.send(StanzaSink.NOWHERE, stanza, outcome)) {
                return outcome;
            }
            forget(link, false);
        }
        outcome.complete(false);
        return outcome;
    }

    /**
     * The buddycloud channel server {@code domain} names in DNS (TXT {@code _bcloud-server._tcp}), looked up on the
     * resolving threads; empty without one (and when federation is off).
     */
    public CompletableFuture<Optional<String>> channelServerRecord(String domain) {
        if (!enabled) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<String>> record = new CompletableFuture<>();
        try {
            resolving.execute(() -> {
                try {
                    record.complete(resolver.channelServer(domain));
                } catch (IOException | RuntimeException e) {
                    record.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException busy) {
            record.completeExceptionally(busy);
        }
        return record;
    }

    /** Dialback's question to {@code remote}'s authoritative server about a key one of its streams gave us. */
    CompletableFuture<Boolean> verify(String ours, String remote, String streamId, String key) {
        for (int attempt = 0; attempt < 2; attempt++) {
            OutgoingLink link = link(ours, remote);
            CompletableFuture<Boolean> answer = link.verify(streamId, key, config.connectTimeout());
            if (answer != null) {
                return answer;
            }
            forget(link, false);
        }
        return CompletableFuture.completedFuture(false);
    }

    void accepted(IncomingS2sStream stream) {
        incoming.add(stream);
        // RFC 6120 leaves it to servers; Prosody's s2s_timeout: a stream that proved nothing in time is closed
        vertx.setTimer(config.connectTimeout().toMillis(), timer -> stream.closeIfUnproved());
    }

    void incomingEnded(IncomingS2sStream stream) {
        incoming.remove(stream);
    }

    /** Told the name of each domain that proved itself on a stream to us (a server that is back, say). */
    public void onProved(java.util.function.Consumer<String> listener) {
        provedListeners.add(listener);
    }

    void proved(String domain, String mechanism) {
        provedListeners.forEach(listener -> {
            try {
                listener.accept(domain);
            } catch (RuntimeException e) {
                LOG.debugf("a listener of proved domains failed: %s", e.getMessage());
            }
        });
        metrics.counter("buddycloud.s2s.authenticated", "direction", "incoming", "mechanism", mechanism).increment();
    }

    /** The remote believed us (outgoing stream ready) by {@code mechanism}. */
    void believed(String domain, String mechanism) {
        metrics.counter("buddycloud.s2s.authenticated", "direction", "outgoing", "mechanism", mechanism).increment();
    }

    void refused(String domain, String mechanism) {
        LOG.warnf("refused a stream claiming to be %s (%s)", domain, mechanism);
        metrics.counter("buddycloud.s2s.refused", "mechanism", mechanism).increment();
    }

    private OutgoingLink link(String ours, String remote) {
        return outgoing.computeIfAbsent(ours + " " + remote, key -> open(ours, remote));
    }

    private void forget(OutgoingLink link, boolean wasReady) {
        outgoing.remove(link.local() + " " + link.remote(), link);
    }

    private OutgoingLink open(String ours, String remote) {
        OutgoingLink link = new OutgoingLink(ours, remote, keys(), config.maxWaitingStanzas(), this::forget, this::believed);
        Context context = vertx.getOrCreateContext();
        vertx.setTimer(config.connectTimeout().toMillis(),
                timer -> link.failIfNotReady("no stream to " + remote + " within " + config.connectTimeout().toSeconds() + " s"));
        Runnable resolve = () -> {
            List<PeerAddress> targets;
            try {
                targets = resolver.resolve(remote);
            } catch (IOException | RuntimeException e) {
                link.failed("remote-server-not-found", "cannot find the server of " + remote + ": " + e.getMessage());
                return;
            }
            if (targets.isEmpty()) {
                link.failed("remote-server-not-found", remote + " has no XMPP server");
                return;
            }
            context.runOnContext(v -> connect(link, targets, 0, context));
        };
        try {
            resolving.execute(resolve);
        } catch (RejectedExecutionException busy) {
            link.failed("remote-server-timeout", "too many servers are being looked up now; try again");
        }
        return link;
    }

    private void connect(OutgoingLink link, List<PeerAddress> targets, int index, Context context) {
        PeerAddress target = targets.get(index);
        client().connect(target.port(), target.host()).onComplete(connected -> {
            if (link.ended()) {
                if (connected.succeeded()) {
                    connected.result().close();
                }
            } else if (connected.succeeded()) {
                LOG.debugf("s2s %s -> %s connected to %s:%d", link.local(), link.remote(), target.host(), target.port());
                OutgoingS2sStream stream = new OutgoingS2sStream(connected.result(), context, server.pool(), config, link);
                if (!link.attach(stream)) {
                    connected.result().close();
                    return;
                }
                stream.attach();
                stream.open();
            } else if (index + 1 < targets.size()) {
                connect(link, targets, index + 1, context);
            } else {
                link.failed("remote-server-not-found", "cannot connect to " + link.remote() + " at " + target.host() + ":"
                        + target.port() + ": " + connected.cause().getMessage());
            }
        });
    }

    /**
     * TLS trusts every certificate here: dialback, not the certificate, proves who the remote is (XEP-0220 §1);
     * our own certificate is offered for those who check it.
     */
    private NetClient client() {
        NetClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createNetClient(new NetClientOptions()
                            .setConnectTimeout((int) config.connectTimeout().toMillis())
                            .setIdleTimeout((int) config.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                            .setTrustAll(true).setHostnameVerificationAlgorithm("").setKeyCertOptions(server.tlsKeys()));
                }
                current = client;
            }
        }
        return current;
    }

    /** Before the stanza workers stop, so that other servers hear why. */
    void stop(@Observes @Priority(100) ShutdownEvent event) {
        resolving.shutdownNow();
        incoming.forEach(stream -> stream.close("system-shutdown", "the server is shutting down"));
        outgoing.values().forEach(OutgoingLink::shutdown);
    }

    private static Map<String, PeerAddress> routes(Map<String, String> configured) {
        return configured.entrySet().stream().collect(Collectors.toMap(entry -> entry.getKey().toLowerCase(Locale.ROOT),
                entry -> address(entry.getKey(), entry.getValue())));
    }

    private static PeerAddress address(String domain, String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        try {
            return colon < 0 ? new PeerAddress(hostAndPort.trim(), PeerResolver.DEFAULT_PORT)
                    : new PeerAddress(hostAndPort.substring(0, colon).trim().replaceAll("^\\[|\\]$", ""),
                            Integer.parseInt(hostAndPort.substring(colon + 1).trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("buddycloud.federation.routes.\"" + domain + "\" is not host:port: " + hostAndPort, e);
        }
    }

    private static Jid jid(String value) {
        try {
            return value == null ? null : Jid.parse(value);
        } catch (InvalidJidException e) {
            return null;
        }
    }
}
