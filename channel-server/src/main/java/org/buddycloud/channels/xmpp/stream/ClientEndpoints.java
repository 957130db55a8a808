package org.buddycloud.channels.xmpp.stream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;
import java.time.Clock;
import java.util.concurrent.Executor;
import org.buddycloud.channels.xmpp.XmppConfig;

/** Turns accepted connections into client sessions. */
public final class ClientEndpoints {

    private static final String SUBPROTOCOL = XmppSubprotocol.NAME;

    private final SessionContext context;

    public ClientEndpoints(String domain, XmppConfig config, SessionRegistry registry, XmppAccounts accounts, StanzaRouter router,
                           RegistrationHandler registration, Executor pool, Vertx vertx, UnacknowledgedStanzas unacknowledged,
                           Clock clock) {
        this.context = new SessionContext(domain, config, registry, accounts, router, registration, pool, new ResumableSessions(),
                SessionTimers.of(vertx), unacknowledged, clock);
    }

    public void tcp(NetSocket socket) {
        socket.setWriteQueueMaxSize(context.config().maxOutboundBytes());
        C2sSession session = new C2sSession(new TcpTransport(socket, true), context);
        socket.handler(buffer -> session.onBytes(buffer.getBytes()));
        socket.closeHandler(v -> session.onDisconnected());
        socket.exceptionHandler(e -> socket.close());
    }

    public void webSocket(HttpServerRequest request) {
        String protocols = request.getHeader("Sec-WebSocket-Protocol");
        if (protocols == null || !protocols.contains(SUBPROTOCOL)) {
            request.response().setStatusCode(400).end("XMPP over WebSocket needs the 'xmpp' subprotocol (RFC 7395)");
            return;
        }
        request.toWebSocket().onSuccess(socket -> {
            socket.setWriteQueueMaxSize(context.config().maxOutboundBytes());
            C2sSession session = new C2sSession(new WebSocketTransport(socket), context);
            IdleWatch idle = IdleWatch.start(Vertx.currentContext().owner(), context.config().idleTimeout(),
                    () -> session.close("connection-timeout", "idle for longer than " + context.config().idleTimeout()));
            socket.textMessageHandler(text -> {
                idle.touch();
                session.onFrame(text);
            });
            socket.pongHandler(pong -> idle.touch());
            socket.closeHandler(v -> {
                idle.stop();
                session.onDisconnected();
            });
            socket.exceptionHandler(e -> socket.close());
        }).onFailure(e -> request.response().setStatusCode(400).end());
    }
}
