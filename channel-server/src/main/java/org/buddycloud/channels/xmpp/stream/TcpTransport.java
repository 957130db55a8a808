package org.buddycloud.channels.xmpp.stream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/** A client's TCP connection (port 5222). */
final class TcpTransport implements Transport {

    private final NetSocket socket;
    private final boolean tlsAvailable;
    private final Context eventLoop;

    /** Created on the connection's event loop. */
    TcpTransport(NetSocket socket, boolean tlsAvailable) {
        this.socket = socket;
        this.tlsAvailable = tlsAvailable;
        this.eventLoop = Vertx.currentContext();
    }

    @Override
    public void send(String xml) {
        socket.write(Buffer.buffer(xml));
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
        return tlsAvailable && !socket.isSsl();
    }

    @Override
    public void startTls(String proceed) {
        // one event-loop task: the TLS handler is in place before the loop reads the client's hello
        eventLoop.runOnContext(v -> {
            socket.write(Buffer.buffer(proceed));
            socket.upgradeToSsl();
        });
    }

    @Override
    public String remoteAddress() {
        return socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    }

    @Override
    public boolean framed() {
        return false;
    }
}
