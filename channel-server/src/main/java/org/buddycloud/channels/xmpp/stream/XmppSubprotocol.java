package org.buddycloud.channels.xmpp.stream;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/** RFC 7395 §3.1: the HTTP server agrees to the 'xmpp' WebSocket subprotocol, so clients see it confirmed. */
@ApplicationScoped
public class XmppSubprotocol implements HttpServerOptionsCustomizer {

    static final String NAME = "xmpp";

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.addWebSocketSubProtocol(NAME);
    }
}
