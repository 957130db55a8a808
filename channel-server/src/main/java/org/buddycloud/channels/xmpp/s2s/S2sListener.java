package org.buddycloud.channels.xmpp.s2s;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.TimeUnit;
import org.buddycloud.channels.xmpp.stream.XmppServer;
import org.jboss.logging.Logger;

/** The port other domains' servers connect to (5269), when federation is on and this is the XMPP server. */
@ApplicationScoped
public class S2sListener {

    private static final Logger LOG = Logger.getLogger(S2sListener.class);

    private final Vertx vertx;
    private final S2sConfig config;
    private final S2sLinks links;
    private final ServerRouter router;
    private final XmppServer server;
    private NetServer listener;

    S2sListener(Vertx vertx, S2sConfig config, S2sLinks links, ServerRouter router, XmppServer server) {
        this.vertx = vertx;
        this.config = config;
        this.links = links;
        this.router = router;
        this.server = server;
    }

    void start(@Observes StartupEvent event) {
        if (!links.enabled()) {
            return;
        }
        NetServerOptions options = new NetServerOptions().setHost(config.host()).setPort(config.port())
                .setKeyCertOptions(server.tlsKeys())
                // the remote's certificate is asked for and taken whatever it is: PeerCertificates judges it (XEP-0178),
                // and a remote without a trusted one still proves its domain by dialback
                .setClientAuth(ClientAuth.REQUEST).setTrustOptions(TrustOptions.wrap(AnyCertificate.INSTANCE))
                .setIdleTimeout((int) config.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
        listener = vertx.createNetServer(options).connectHandler(this::accept);
        listener.listen().toCompletionStage().toCompletableFuture().join();
        LOG.infof("XMPP servers (s2s, STARTTLS%s) on %s:%d", config.tlsRequired() ? " required" : "", config.host(), listener.actualPort());
    }

    private void accept(NetSocket socket) {
        IncomingS2sStream stream = new IncomingS2sStream(socket, Vertx.currentContext(), server.pool(), config, links, router);
        links.accepted(stream);
        stream.attach();
    }

    /** The TCP port actually listened on (tests ask for a free one); -1 when not listening. */
    public int port() {
        return listener == null ? -1 : listener.actualPort();
    }

    void stop(@Observes ShutdownEvent event) {
        if (listener != null) {
            listener.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
