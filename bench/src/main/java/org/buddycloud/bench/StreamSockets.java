package org.buddycloud.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Thousands of HTTP/1.1 connections held by one selector thread, the way a load generator holds many clients without
 * a thread each: every connection sends one GET, its status line is checked, and what comes after (a Server-Sent
 * Events stream) is scanned for the marks {@code bench-mark-<n>-} of the posts, each recorded with its arrival time.
 */
final class StreamSockets implements AutoCloseable {

    private static final byte[] MARK = "bench-mark-".getBytes(StandardCharsets.US_ASCII);
    /** Requests sent but not answered yet, at most: the server's accept queue is not flooded. */
    private static final int IN_FLIGHT = 256;
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(60);

    /** One connection's reading state, touched by the reader thread only (after registration). */
    private static final class Connection {
        final SocketChannel channel;
        final StringBuilder head = new StringBuilder();
        volatile int status = -1;
        volatile boolean closedHere;
        int matched;
        boolean digits;
        long number;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final InetSocketAddress address;
    private final Selector selector;
    private final Thread reader;
    private final Queue<Connection> toRegister = new ConcurrentLinkedQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final Queue<String> refusals = new ConcurrentLinkedQueue<>();
    private long[] arrivals = new long[2 * 65536];
    private int arrivalCount;
    private volatile boolean running = true;

    StreamSockets(String host, int port) throws IOException {
        this.address = new InetSocketAddress(host, port);
        this.selector = Selector.open();
        this.reader = new Thread(this::read, "bench-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** A GET of {@code path} with the given extra header lines ({@code "Name: value"}). */
    String request(String path, String... headers) {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(address.getHostString()).append(':').append(address.getPort()).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** Opens one connection per request and waits until each was answered 200 with its headers (fails otherwise). */
    void open(List<String> requests) throws IOException {
        int before = answered.get() + refusals.size();
        int sent = 0;
        for (String request : requests) {
            while (sent - (answered.get() + refusals.size() - before) >= IN_FLIGHT) {
                LockSupport.parkNanos(200_000);
            }
            SocketChannel channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.configureBlocking(false);
            Connection connection = new Connection(channel);
            connections.add(connection);
            toRegister.add(connection);
            selector.wakeup();
            sent++;
        }
        long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
        while (answered.get() + refusals.size() - before < sent) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException((answered.get() - before) + " of " + sent + " connections answered within " + ANSWER_WAIT);
            }
            LockSupport.parkNanos(1_000_000);
        }
        if (!refusals.isEmpty()) {
            throw new IllegalStateException(refusals.size() + " of " + sent + " requests refused; the first: " + refusals.peek());
        }
    }

    /** Connections open and answered 200. */
    int open() {
        return answered.get() - closedByServer.get();
    }

    /** Answered connections the server closed since they were opened. */
    int closedByServer() {
        return closedByServer.get();
    }

    /** Closes every connection (the client going away). */
    void closeAll() throws IOException {
        for (Connection connection : connections) {
            connection.closedHere = true;
            connection.channel.close();
        }
        connections.clear();
        selector.wakeup();
        answered.set(0);
        closedByServer.set(0);
    }

    /** The marks seen since the last call, as pairs {mark, arrival nanoTime}, and forgets them. */
    synchronized long[][] takeArrivals() {
        long[][] taken = new long[arrivalCount][];
        for (int i = 0; i < arrivalCount; i++) {
            taken[i] = new long[] {arrivals[2 * i], arrivals[2 * i + 1]};
        }
        arrivalCount = 0;
        return taken;
    }

    synchronized int arrivalCount() {
        return arrivalCount;
    }

    private synchronized void arrived(long mark, long at) {
        if (2 * arrivalCount + 2 > arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, arrivals.length * 2);
        }
        arrivals[2 * arrivalCount] = mark;
        arrivals[2 * arrivalCount + 1] = at;
        arrivalCount++;
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (running) {
                selector.select(100);
                for (Connection connection; (connection = toRegister.poll()) != null; ) {
                    if (connection.channel.isOpen()) {
                        connection.channel.register(selector, SelectionKey.OP_READ, connection);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    buffer.clear();
                    int n;
                    try {
                        n = connection.channel.read(buffer);
                    } catch (IOException e) {
                        n = -1;
                    }
                    long now = System.nanoTime();
                    if (n < 0) {
                        key.cancel();
                        gone(connection);
                        continue;
                    }
                    buffer.flip();
                    if (connection.status < 0 && !head(connection, buffer)) {
                        continue;
                    }
                    scan(connection, buffer, now);
                }
                selector.selectedKeys().clear();
            }
            selector.close();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the benchmark's stream reader failed", e);
        }
    }

    /** Reads the status line and headers; true once they are complete (the buffer then holds what follows them). */
    private boolean head(Connection connection, ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            connection.head.append((char) (buffer.get() & 0xff));
            int length = connection.head.length();
            if (length >= 4 && connection.head.charAt(length - 1) == '\n' && connection.head.substring(length - 4).equals("\r\n\r\n")) {
                String head = connection.head.toString();
                connection.head.setLength(0);
                int status = head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : 0;
                connection.status = status;
                if (status == 200) {
                    answered.incrementAndGet();
                } else {
                    String rest = StandardCharsets.UTF_8.decode(buffer).toString();
                    refusals.add(head.lines().findFirst().orElse("") + " " + rest.strip());
                }
                return status == 200;
            }
        }
        return false;
    }

    private void gone(Connection connection) {
        if (connection.closedHere) {
            return;
        }
        try {
            connection.channel.close();
        } catch (IOException e) {
            // closing a broken connection
        }
        if (connection.status == 200) {
            closedByServer.incrementAndGet();
        } else if (connection.status < 0) {
            refusals.add("closed without an answer");
        }
    }

    /** Finds {@code bench-mark-<digits>-} in what arrived, across reads. */
    private void scan(Connection c, ByteBuffer buffer, long now) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            byte b = buffer.get(i);
            if (c.digits) {
                if (b >= '0' && b <= '9') {
                    c.number = c.number * 10 + (b - '0');
                    continue;
                }
                if (b == '-') {
                    arrived(c.number, now);
                }
                c.digits = false;
            }
            if (b == MARK[c.matched]) {
                if (++c.matched == MARK.length) {
                    c.matched = 0;
                    c.digits = true;
                    c.number = 0;
                }
            } else {
                c.matched = b == MARK[0] ? 1 : 0;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closeAll();
        running = false;
        selector.wakeup();
    }
}
