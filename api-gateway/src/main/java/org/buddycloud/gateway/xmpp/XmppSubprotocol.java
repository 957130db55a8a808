package org.buddycloud.gateway.xmpp;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * RFC 7395 §3.1: the gateway's HTTP server agrees to the 'xmpp' WebSocket subprotocol, so that clients of
 * {@code /xmpp-websocket} see it confirmed (a browser drops a connection whose offered subprotocol is not). The live
 * streams' WebSocket offers none and is not affected.
 */
@ApplicationScoped
public class XmppSubprotocol implements HttpServerOptionsCustomizer {

    static final String NAME = "xmpp";

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.addWebSocketSubProtocol(NAME);
    }

    /** The same where the gateway terminates TLS itself ({@code quarkus.http.ssl…}). */
    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        options.addWebSocketSubProtocol(NAME);
    }
}
