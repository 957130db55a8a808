package org.buddycloud.webtests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link between a browser and the gateway that the test can cut: every open connection is dropped and new ones
 * are refused until it is healed, as when a phone loses its network. Headless Chromium's own "offline" emulation
 * leaves a streaming response running, so it cannot show what a page does when its live stream breaks.
 */
final class FlakyLink implements AutoCloseable {

    private static final System.Logger LOG = TestLog.logger(FlakyLink.class);

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    /** Listens on a free loopback port and relays to {@code targetUrl}'s host and port. */
    FlakyLink(String targetUrl) {
        URI uri = URI.create(targetUrl);
        this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    /** The address to give the browser instead of the gateway's. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Drops every connection and refuses new ones. */
    void cut() {
        close(listener);
        open.forEach(FlakyLink::close);
        open.clear();
        LOG.log(System.Logger.Level.INFO, "link to " + target + " cut");
    }

    /** Takes connections again, on the same port. */
    void heal() {
        listener = listen(port);
        accept(listener);
        LOG.log(System.Logger.Level.INFO, "link to " + target + " healed");
    }

    @Override
    public void close() {
        cut();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    private void accept(ServerSocket server) {
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket();
                    upstream.connect(target, 5_000);
                    open.add(client);
                    open.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException e) {
                    // closed by cut(), or the gateway refused: the browser sees its connection end
                }
            }
        }, "flaky-link-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Copies one direction until either side ends; then both sockets go. */
    private void pipe(Socket from, Socket to) {
        Thread copier = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the link was cut or a side hung up
            } finally {
                close(from);
                close(to);
                open.remove(from);
                open.remove(to);
            }
        }, "flaky-link-pipe");
        copier.setDaemon(true);
        copier.start();
    }

    private static void close(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
