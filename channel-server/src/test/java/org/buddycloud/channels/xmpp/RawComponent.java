package org.buddycloud.channels.xmpp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.xmppkit.component.Handshake;

/**
 * An external component on a plain socket, for the handshake's refusals and for what a misbehaving
 * component sends: text is written as given and read back as text.
 */
final class RawComponent implements AutoCloseable {

    private static final Pattern STREAM_ID = Pattern.compile("<stream:stream[^>]*\\sid=['\"]([^'\"]+)['\"]");

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean ended;

    RawComponent(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        // a read gives up after this long instead of hanging the test
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    /** Opens a component stream to {@code name} and returns the server's stream id. */
    String open(String name) throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='"
                + name + "'>");
        String header = readUntil(text -> STREAM_ID.matcher(text).find());
        Matcher id = STREAM_ID.matcher(header);
        if (!id.find()) {
            throw new IOException("no stream id in " + header);
        }
        return id.group(1);
    }

    /** Opens the stream and does the handshake with {@code secret}; returns what the server answered to it. */
    String connect(String name, String secret) throws IOException {
        String id = open(name);
        send("<handshake>" + Handshake.digest(id, secret) + "</handshake>");
        return readUntil(text -> text.contains("<handshake/>") || text.contains("</stream:stream>"));
    }

    void send(String xml) throws IOException {
        socket.getOutputStream().write(xml.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads until everything received so far satisfies {@code done}, the server closes, or the read times out. */
    String readUntil(Predicate<String> done) throws IOException {
        byte[] buffer = new byte[8192];
        while (!done.test(text()) && !ended) {
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            }
            if (read < 0) {
                ended = true;
            } else {
                received.write(buffer, 0, read);
            }
        }
        return text();
    }

    /** Whether the server closed the connection (reads until it does or the read times out). */
    boolean closedByServer() throws IOException {
        readUntil(text -> false);
        return ended;
    }

    String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
