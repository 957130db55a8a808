package org.buddycloud.channels.xmpp.stream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.buddycloud.servicekit.web.PeerAddress;

/** A client's XMPP-over-WebSocket connection (RFC 7395): one stanza per text frame; TLS is the HTTP server's. */
final class WebSocketTransport implements Transport {

    private final ServerWebSocket socket;
    private final Context eventLoop;

    /** Created on the connection's event loop. */
    WebSocketTransport(ServerWebSocket socket) {
        this.socket = socket;
        this.eventLoop = Vertx.currentContext();
    }

    @Override
    public void send(String xml) {
        socket.writeTextMessage(xml);
    }

    @Override
    public boolean writable() {
        return !socket.writeQueueFull();
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public void pauseInput() {
        // through the event loop, so that a pause and the resume after it are applied in that order
        eventLoop.runOnContext(v -> socket.pause());
    }

    @Override
    public void resumeInput() {
        eventLoop.runOnContext(v -> socket.resume());
    }

    @Override
    public boolean encrypted() {
        return socket.isSsl();
    }

    @Override
    public boolean tlsAvailable() {
        return false;
    }

    @Override
    public void startTls(String proceed) {
        throw new IllegalStateException("STARTTLS is not offered over WebSocket");
    }

    @Override
    public String remoteAddress() {
        return PeerAddress.of(socket.remoteAddress());
    }

    @Override
    public boolean framed() {
        return true;
    }
}
