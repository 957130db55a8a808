package org.buddycloud.channels.xmpp.accept;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.TimeUnit;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.stream.XmppServer;
import org.jboss.logging.Logger;

/**
 * The port our own services connect to as external components (XEP-0114), e.g. the search service
 * as {@code directory.<domain>}. Plain TCP, as XEP-0114 is: loopback by default, a private network
 * at most. Runs when the server runs and at least one component is accepted.
 */
@ApplicationScoped
public class ComponentListener {

    private static final Logger LOG = Logger.getLogger(ComponentListener.class);

    private final Vertx vertx;
    private final XmppConfig config;
    private final ConnectedComponents components;
    private final ComponentRouter router;
    private final XmppServer server;
    private NetServer listener;

    ComponentListener(Vertx vertx, XmppConfig config, ConnectedComponents components, ComponentRouter router, XmppServer server) {
        this.vertx = vertx;
        this.config = config;
        this.components = components;
        this.router = router;
        this.server = server;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled() || !components.any()) {
            return;
        }
        XmppConfig.Components settings = config.components();
        NetServerOptions options = new NetServerOptions().setHost(settings.host()).setPort(settings.port())
                .setIdleTimeout((int) config.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
        listener = vertx.createNetServer(options).connectHandler(this::accept);
        listener.listen().toCompletionStage().toCompletableFuture().join();
        LOG.infof("XMPP components (XEP-0114) on %s:%d: %s", settings.host(), listener.actualPort(), components.acceptedNames());
    }

    private void accept(NetSocket socket) {
        socket.setWriteQueueMaxSize(config.maxOutboundBytes());
        ComponentStream stream = new ComponentStream(socket, components, router, server.pool(), config.maxStanzaBytes(), config.maxDepth());
        socket.handler(buffer -> stream.onBytes(buffer.getBytes()));
        socket.closeHandler(v -> stream.onDisconnected());
        socket.exceptionHandler(e -> socket.close());
    }

    /** The TCP port actually listened on (tests ask for a free one); -1 when not listening. */
    public int port() {
        return listener == null ? -1 : listener.actualPort();
    }

    /** Before the stanza workers stop ({@link XmppServer}), so that the components hear why. */
    void stop(@Observes @Priority(100) ShutdownEvent event) {
        components.disconnectAll("system-shutdown", "the server is shutting down");
        if (listener != null) {
            listener.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
