package org.buddycloud.channels.xmpp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between the channel server and the XMPP server's component port, to play what a
 * network and a server do to a component link: drop the connection, or stop reading from us. It
 * also keeps what we wrote to the server, to see what the channel service said.
 */
final class ComponentProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private volatile boolean stalled;

    ComponentProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket();
        // a small window towards us, so that a stall backs up into the channel server quickly
        server.setReceiveBufferSize(4096);
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread accepting = new Thread(this::accept, "component-proxy");
        accepting.setDaemon(true);
        accepting.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections the channel server made so far. */
    int connections() {
        return connections.get();
    }

    /** Drops every relayed connection, as a network failure would. */
    void cut() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /** While stalled, nothing the channel server writes is read, as from a server that hangs. */
    void stall(boolean stall) {
        synchronized (this) {
            stalled = stall;
            notifyAll();
        }
    }

    /** Holds the relay while stalled; a closed socket ends the wait (the poll notices it within 100 ms). */
    private synchronized void awaitUnstalled(Socket from) throws InterruptedException {
        while (stalled && !from.isClosed()) {
            wait(100);
        }
    }

    /** What the channel server wrote to the XMPP server since the last call. */
    String takeWritten() {
        synchronized (written) {
            String text = written.toString(StandardCharsets.UTF_8);
            written.reset();
            return text;
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket ours = server.accept();
                Socket theirs = new Socket("127.0.0.1", target);
                sockets.add(ours);
                sockets.add(theirs);
                connections.incrementAndGet();
                relay(ours, theirs, true);
                relay(theirs, ours, false);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void relay(Socket from, Socket to, boolean fromUs) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try {
                while (true) {
                    if (fromUs) {
                        awaitUnstalled(from);
                    }
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    if (fromUs) {
                        synchronized (written) {
                            if (written.size() > 4 << 20) {
                                written.reset();
                            }
                            written.write(buffer, 0, n);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side went away
            }
            closeQuietly(from);
            closeQuietly(to);
        }, "component-proxy-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
