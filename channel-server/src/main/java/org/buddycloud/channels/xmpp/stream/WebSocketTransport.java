package org.buddycloud.channels.xmpp.stream;

import io.vertx.core.http.ServerWebSocket;

/** A client's XMPP-over-WebSocket connection (RFC 7395): one stanza per text frame; TLS is the HTTP server's. */
final class WebSocketTransport implements Transport {

    private final ServerWebSocket socket;

    WebSocketTransport(ServerWebSocket socket) {
        this.socket = socket;
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
        return socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    }

    @Override
    public boolean framed() {
        return true;
    }
}
