package org.buddycloud.channels.xmpp.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.jboss.logging.Logger;

/**
 * Starts the client endpoints: TCP with STARTTLS on {@code buddycloud.xmpp.port}, and XMPP over
 * WebSocket on the HTTP port. Stanza work runs on a pool of its own, off the event loop.
 */
@ApplicationScoped
public class XmppServer {

    private static final Logger LOG = Logger.getLogger(XmppServer.class);

    private final Vertx vertx;
    private final XmppConfig config;
    private final XmppAddresses addresses;
    private final SessionRegistry registry;
    private final XmppAccounts accounts;
    private final StanzaRouter router;
    private final RegistrationHandler registration;
    private final UnacknowledgedStanzas unacknowledged;
    private final Clock clock;
    private final ExecutorService pool;
    private ClientEndpoints endpoints;
    private NetServer server;
    private PfxOptions keys;

    XmppServer(Vertx vertx, XmppConfig config, XmppAddresses addresses, SessionRegistry registry, XmppAccounts accounts,
               StanzaRouter router, RegistrationHandler registration, UnacknowledgedStanzas unacknowledged, Clock clock,
               MeterRegistry metrics) {
        this.vertx = vertx;
        this.config = config;
        this.addresses = addresses;
        this.registry = registry;
        this.accounts = accounts;
        this.router = router;
        this.registration = registration;
        this.unacknowledged = unacknowledged;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.workerThreads(), task -> {
            Thread thread = new Thread(task, "xmpp-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        metrics.gauge("buddycloud.xmpp.sessions", registry, SessionRegistry::sessionCount);
    }

    /** The stanza workers, shared with the component link and the accepted components. */
    public ExecutorService pool() {
        return pool;
    }

    /** The server's key and certificate, for clients' STARTTLS and other servers' (loaded, or generated, once). */
    public synchronized PfxOptions tlsKeys() {
        if (keys == null) {
            keys = TlsKeys.load(Path.of(config.tls().keyStore().orElse(config.tls().generatedKeyStore())),
                    config.tls().keyStorePassword().orElse("changeit"), config.tls().keyStore().isEmpty(),
                    List.of(addresses.domain(), addresses.channelService()));
        }
        return keys;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        PfxOptions keys = tlsKeys();
        endpoints = new ClientEndpoints(addresses.domain(), config, registry, accounts, router, registration, pool, vertx,
                unacknowledged, clock);
        NetServerOptions options = new NetServerOptions().setHost(config.host()).setPort(config.port()).setKeyCertOptions(keys)
                .setIdleTimeout((int) config.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
        server = vertx.createNetServer(options).connectHandler(endpoints::tcp);
        server.listen().toCompletionStage().toCompletableFuture().join();
        LOG.infof("XMPP clients on %s:%d (STARTTLS), WebSocket at %s; channel service %s", config.host(), server.actualPort(),
                config.websocket().path(), addresses.channelService());
    }

    /** XMPP over WebSocket (RFC 7395) on the HTTP server. */
    void routes(@Observes Router http) {
        if (config.enabled()) {
            http.route(config.websocket().path()).handler(context -> endpoints.webSocket(context.request()));
        }
    }

    /** The TCP port actually listened on (tests ask for a free one). */
    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
        pool.shutdown();
    }
}
