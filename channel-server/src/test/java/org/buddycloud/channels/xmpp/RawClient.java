package org.buddycloud.channels.xmpp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.buddycloud.xmppkit.xml.StreamParser;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.buddycloud.testsupport.ScramClient;

/**
 * A byte-level XMPP client for what Smack will not do: SCRAM-SHA-256, hostile input, stalled
 * readers. Reads are synchronous (no reader thread), so STARTTLS can swap the socket safely.
 */
final class RawClient implements AutoCloseable, StreamParser.Listener {

    static final String HEADER = "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams'>";

    private final Deque<XmlElement> received = new ArrayDeque<>();
    private final StreamParser parser = new StreamParser(this, 4 * 1024 * 1024, 64);
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean serverClosedStream;
    private boolean disconnected;
    private String fullJid;

    private RawClient(Socket socket) throws IOException {
        use(socket);
    }

    /** A TCP connection with nothing sent yet. */
    static RawClient connect(int port) throws IOException {
        return new RawClient(new Socket("127.0.0.1", port));
    }

    /** A TCP connection with a small receive window, for playing a client that reads slowly. */
    static RawClient connect(int port, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        return new RawClient(socket);
    }

    /** Connected, STARTTLS done, authenticated with {@code mechanism}, resource bound. */
    static RawClient login(int port, SSLContext tls, String mechanism, String username, String password) throws Exception {
        return login(port, tls, mechanism, username, password, 0);
    }

    static RawClient login(int port, SSLContext tls, String mechanism, String username, String password, int receiveBufferBytes)
            throws Exception {
        RawClient client = receiveBufferBytes > 0 ? connect(port, receiveBufferBytes) : connect(port);
        client.openStream();
        client.startTls(tls);
        if (!client.authenticate(mechanism, username, password)) {
            client.close();
            throw new IllegalStateException(mechanism + " login of " + username + " failed");
        }
        client.bind("raw");
        return client;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(200);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String xml) throws IOException {
        sendBytes(xml.getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends the stream header and returns the features. */
    XmlElement openStream() throws IOException {
        send(HEADER);
        return expect(e -> e.is("features", "http://etherx.jabber.org/streams"), Duration.ofSeconds(10));
    }

    /** STARTTLS, then the stream again; returns the features offered inside TLS. */
    XmlElement startTls(SSLContext tls) throws IOException {
        send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        expect(e -> e.name().equals("proceed"), Duration.ofSeconds(10));
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        secure.setSoTimeout(10_000);
        secure.startHandshake();
        use(secure);
        parser.restart();
        return openStream();
    }

    /** SASL with SCRAM-SHA-1/256 or PLAIN; true on success (the stream is restarted then). */
    boolean authenticate(String mechanism, String username, String password) throws IOException, GeneralSecurityException {
        XmlElement outcome;
        if (mechanism.equals("PLAIN")) {
            send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                    + ScramClient.base64("\u0000" + username + "\u0000" + password) + "</auth>");
            outcome = expect(e -> e.name().equals("success") || e.name().equals("failure"), Duration.ofSeconds(10));
        } else {
            ScramClient scram = new ScramClient(mechanism, username, password);
            send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + mechanism + "'>"
                    + ScramClient.base64(scram.clientFirst()) + "</auth>");
            XmlElement challenge = expect(e -> e.name().equals("challenge") || e.name().equals("failure"), Duration.ofSeconds(10));
            if (challenge.name().equals("failure")) {
                lastFailure = challenge;
                return false;
            }
            send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                    + ScramClient.base64(scram.clientFinal(ScramClient.unbase64(challenge.text()))) + "</response>");
            outcome = expect(e -> e.name().equals("success") || e.name().equals("failure"), Duration.ofSeconds(10));
            if (outcome.name().equals("success") && !scram.serverVerified(ScramClient.unbase64(outcome.text()))) {
                throw new GeneralSecurityException("the server's signature does not verify");
            }
        }
        if (outcome.name().equals("failure")) {
            lastFailure = outcome;
            return false;
        }
        parser.restart();
        featuresAfterAuthentication = openStream();
        return true;
    }

    private XmlElement lastFailure;
    private XmlElement featuresAfterAuthentication;

    /** The stream features offered after the last successful authentication. */
    XmlElement featuresAfterAuthentication() {
        return featuresAfterAuthentication;
    }

    /** The SASL failure of the last refused authentication. */
    XmlElement lastFailure() {
        return lastFailure;
    }

    String bind(String resource) throws IOException {
        XmlElement result = iq("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>");
        fullJid = result.element("bind", "urn:ietf:params:xml:ns:xmpp-bind").orElseThrow()
                .childText("jid", "urn:ietf:params:xml:ns:xmpp-bind").orElseThrow();
        return fullJid;
    }

    String fullJid() {
        return fullJid;
    }

    /** Sends an IQ (its {@code id} is set if missing) and returns the reply with that id. */
    XmlElement iq(String xml) throws IOException {
        return iqWithin(Duration.ofSeconds(10), xml);
    }

    XmlElement iqWithin(Duration timeout, String xml) throws IOException {
        String id = UUID.randomUUID().toString();
        String openingTag = xml.substring(0, xml.indexOf('>') + 1);
        String withId = openingTag.contains(" id=") ? xml : xml.replaceFirst("<iq ", "<iq id='" + id + "' ");
        String expected = withId.replaceAll("(?s)^<iq [^>]*?id='([^']*)'.*", "$1");
        send(withId);
        return reply(expected, timeout);
    }

    /**
     * The IQ reply with that id. What arrives before it stays to be expected later: a notification of the change the
     * IQ made may come before its result (the server notifies this replica's sessions at the commit).
     */
    private XmlElement reply(String id, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (java.util.Iterator<XmlElement> waiting = received.iterator(); waiting.hasNext(); ) {
                XmlElement next = waiting.next();
                if (next.name().equals("iq") && id.equals(next.attr("id"))) {
                    waiting.remove();
                    return next;
                }
            }
            if (disconnected || System.nanoTime() > deadline) {
                throw new AssertionError("no reply to IQ " + id + " in " + timeout + (disconnected ? " (disconnected)" : ""));
            }
            readSome();
        }
    }

    /** The next received element that matches, skipping (and dropping) others; fails after the timeout. */
    XmlElement expect(Predicate<XmlElement> match, Duration timeout) throws IOException {
        XmlElement found = poll(match, timeout);
        if (found == null) {
            throw new AssertionError("nothing matching arrived in " + timeout + (disconnected ? " (disconnected)" : ""));
        }
        return found;
    }

    /** The next received element that matches, or null after the timeout. */
    XmlElement poll(Predicate<XmlElement> match, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            while (!received.isEmpty()) {
                XmlElement next = received.poll();
                if (match.test(next)) {
                    return next;
                }
            }
            if (disconnected || System.nanoTime() > deadline) {
                return null;
            }
            readSome();
        }
    }

    /** The stream error the server ended the stream with (waits for it), or null if the connection ended without one. */
    XmlElement streamError(Duration timeout) throws IOException {
        return poll(e -> e.is("error", "http://etherx.jabber.org/streams"), timeout);
    }

    /** True once the server has closed the connection (reads to the end, up to the timeout). */
    boolean closedByServer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!disconnected && System.nanoTime() < deadline) {
            readSome();
            received.clear();
        }
        return disconnected;
    }

    boolean serverClosedStream() {
        return serverClosedStream;
    }

    private void readSome() throws IOException {
        byte[] buffer = new byte[8192];
        try {
            int n = in.read(buffer);
            if (n < 0) {
                disconnected = true;
                return;
            }
            parser.feed(buffer, 0, n);
        } catch (SocketTimeoutException e) {
            // nothing yet; the caller decides whether to wait longer
            return;
        } catch (XmppStreamException e) {
            throw new IOException("the server sent bad XML: " + e.getMessage(), e);
        } catch (IOException e) {
            disconnected = true;
        }
    }

    /** What a background reader saw: whether its marker arrived, and whether the server hung up. */
    static final class Watch {
        final CountDownLatch markerSeen = new CountDownLatch(1);
        volatile boolean hungUp;
    }

    /**
     * From now on a thread of its own reads what arrives, only looking for {@code marker}: for a
     * client that floods, and reads so as not to be disconnected as one that does not. The other
     * reading methods must not be used after this.
     */
    Watch readInBackground(String marker) throws IOException {
        Watch watch = new Watch();
        socket.setSoTimeout(0);
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[65536];
            String tail = "";
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    String text = tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    if (text.contains(marker)) {
                        watch.markerSeen.countDown();
                    }
                    tail = text.substring(Math.max(0, text.length() - marker.length()));
                }
            } catch (IOException e) {
                // closed: by the server, or by the test
            }
            watch.hungUp = true;
        }, "raw-client-reader");
        reader.setDaemon(true);
        reader.start();
        return watch;
    }

    @Override
    public void streamOpened(XmlElement header) {
        // the header carries nothing these tests look at
    }

    @Override
    public void stanza(XmlElement stanza) {
        received.add(stanza);
    }

    @Override
    public void streamClosed() {
        serverClosedStream = true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
