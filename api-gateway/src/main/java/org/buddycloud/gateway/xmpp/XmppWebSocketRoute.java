package org.buddycloud.gateway.xmpp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.buddycloud.gateway.GatewayConfig;
import org.buddycloud.gateway.edge.EdgeGate;
import org.buddycloud.gateway.edge.EdgeRefusal;
import org.buddycloud.gateway.edge.OpenStreams;
import org.buddycloud.gateway.edge.RequestIds;
import org.buddycloud.gateway.proxy.Forwarding;
import org.buddycloud.gateway.proxy.Problems;
import org.buddycloud.gateway.proxy.ProxyRoute;
import org.buddycloud.gateway.proxy.Upstreams;
import org.buddycloud.gateway.routing.Upstream;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * XMPP over WebSocket (RFC 7395) on the gateway's origin: {@code GET /xmpp-websocket} is relayed to the channel
 * server's own endpoint. The channel server is connected first, so that a caller whose server is down gets a 503
 * problem rather than a socket that closes at once; then the caller's upgrade is accepted and {@link TextRelay}
 * joins the two. Nothing is checked at the edge but the per-address limits: XMPP logs in with SASL inside the
 * stream, and the channel server throttles failed logins by the client address passed on to it.
 */
@ApplicationScoped
public class XmppWebSocketRoute {

    static final String PATH = "/xmpp-websocket";

    private static final Logger LOG = Logger.getLogger(XmppWebSocketRoute.class);

    private final Upstreams upstreams;
    private final EdgeGate gate;
    private final OpenStreams streams;
    private final ObjectMapper json;
    private final WebSocketClient webSockets;
    private final long connectTimeoutMillis;
    private final long idleTimeoutMillis;

    XmppWebSocketRoute(Vertx vertx, Upstreams upstreams, EdgeGate gate, OpenStreams streams, ObjectMapper json,
                       GatewayConfig config) {
        this.upstreams = upstreams;
        this.gate = gate;
        this.streams = streams;
        this.json = json;
        this.connectTimeoutMillis = config.connectTimeout().toMillis();
        this.idleTimeoutMillis = config.idleTimeout().toMillis();
        // Vert.x holds at most 50 WebSockets to one server unless told otherwise, queueing the rest (and -1, "no
        // limit", queues every one in 4.5); the open-stream limits per address are what bounds them here
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE)
                .setConnectTimeout((int) connectTimeoutMillis).setTcpNoDelay(true));
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::relay);
    }

    private void relay(RoutingContext context) {
        HttpServerRequest request = context.request();
        // the upgrade waits for the channel server; the request's end must wait with it, or it cannot be upgraded
        request.pause();
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade")) || !offersXmpp(request.getHeader("Sec-WebSocket-Protocol"))) {
            refuse(context, new EdgeRefusal(400, "bad-request", "XMPP over WebSocket is a WebSocket upgrade offering the "
                    + "'" + XmppSubprotocol.NAME + "' subprotocol (RFC 7395)", Optional.empty(), Optional.empty()));
            return;
        }
        String client = gate.client(request);
        String requestId = context.get(RequestIds.class.getName());
        // no credentials: only the request rate and the open connections of the address count
        gate.admit(null, client, requestId, false)
                .map(anonymous -> streams.take(client, Optional.empty()))
                .onSuccess(slot -> connect(context, client, requestId, slot))
                .onFailure(failure -> refuse(context, failure instanceof EdgeRefusal refusal ? refusal
                        : EdgeRefusal.serviceFailed(502, "api-gateway", failure.toString())));
    }

    private void connect(RoutingContext context, String client, String requestId, OpenStreams.Slot slot) {
        webSockets.connect(serviceOptions(context.request(), client, requestId)).onComplete(connected -> {
            if (connected.failed()) {
                slot.release();
                EdgeRefusal refusal = ProxyRoute.serviceFailure(Upstream.CHANNEL_SERVER, connected.cause());
                log(requestId, () -> LOG.warnf("XMPP over WebSocket: %s (%d)", refusal.getMessage(), refusal.status()));
                refuse(context, refusal);
                return;
            }
            WebSocket service = connected.result();
            // what the channel server says before the caller's side is ready waits for it
            service.pause();
            context.request().toWebSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    service.close();
                    slot.release();
                    return;
                }
                long opened = System.nanoTime();
                TextRelay.join(upgraded.result(), service, () -> {
                    slot.release();
                    // the access log writes no line for an upgraded connection: this is its line
                    log(requestId, () -> LOG.infof("XMPP over WebSocket from %s ended after %d s", client,
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - opened)));
                });
                service.resume();
            });
        });
    }

    /** The channel server's endpoint, asked with the 'xmpp' subprotocol and told who the client is. */
    private WebSocketConnectOptions serviceOptions(HttpServerRequest request, String client, String requestId) {
        URI base = upstreams.address(Upstream.CHANNEL_SERVER);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        Forwarding.put(headers, request, gate, client, requestId);
        return new WebSocketConnectOptions().setHost(base.getHost()).setPort(Upstreams.port(base))
                .setSsl("https".equals(base.getScheme())).setURI(PATH).addSubProtocol(XmppSubprotocol.NAME)
                .setConnectTimeout(connectTimeoutMillis)
                // bounds the wait for the handshake's answer (a timer), not the connection
                .setIdleTimeout(idleTimeoutMillis)
                .setHeaders(headers);
    }

    private static boolean offersXmpp(String protocols) {
        return protocols != null && Arrays.stream(protocols.split(",")).map(String::trim).anyMatch(XmppSubprotocol.NAME::equals);
    }

    private void refuse(RoutingContext context, EdgeRefusal refusal) {
        context.request().resume();
        Problems.write(context.response(), refusal, context.request().path(), Problems.CHALLENGE, json);
    }

    private static void log(String requestId, Runnable line) {
        MDC.put("requestId", requestId);
        line.run();
        MDC.remove("requestId");
    }
}
