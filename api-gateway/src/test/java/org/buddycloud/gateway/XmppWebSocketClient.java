package org.buddycloud.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.buddycloud.testsupport.ScramClient;

/**
 * An XMPP client over WebSocket (RFC 7395) the way a browser's is: the JDK's WebSocket with the 'xmpp' subprotocol,
 * one stanza per text message, SCRAM-SHA-256. Frames are scanned as text, not parsed: the point is what crosses
 * the gateway.
 */
final class XmppWebSocketClient implements AutoCloseable {

    static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    static final Duration WAIT = Duration.ofSeconds(20);

    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
    final WebSocket socket;
    private final String domain;
    private String fullJid;

    XmppWebSocketClient(URI endpoint, String domain) throws Exception {
        this(endpoint, domain, Map.of());
    }

    /** With {@code headers} on the upgrade, such as a proxy's X-Forwarded-For. */
    XmppWebSocketClient(URI endpoint, String domain, Map<String, String> headers) throws Exception {
        this.domain = domain;
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("xmpp");
        headers.forEach(builder::header);
        this.socket = builder
                .buildAsync(endpoint, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closedWith.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closedWith.completeExceptionally(error);
                    }
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void send(String xml) {
        socket.sendText(xml, true).join();
    }

    /** Opens the stream and returns the features the server offers. */
    String open() throws InterruptedException {
        send("<open xmlns='" + FRAMING + "' to='" + domain + "' version='1.0'/>");
        String open = next(frame -> true);
        assertTrue(open.startsWith("<open") && open.contains(FRAMING), open);
        return next(frame -> frame.contains("features"));
    }

    /** Logs in with SCRAM-SHA-256, binds {@code resource} and becomes available; returns the bound full JID. */
    String login(String username, String password, String resource) throws Exception {
        String success = authenticate(username, password);
        assertTrue(success.startsWith("<success"), success);
        assertTrue(open().contains("urn:ietf:params:xml:ns:xmpp-bind"));
        send("<iq xmlns='jabber:client' type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>" + resource + "</resource></bind></iq>");
        String bound = next(frame -> frame.contains("id='bind'") || frame.contains("id=\"bind\""));
        fullJid = bound.substring(bound.indexOf("<jid>") + 5, bound.indexOf("</jid>"));
        send("<presence xmlns='jabber:client'/>");
        return fullJid;
    }

    /** Opens the stream and logs in with SCRAM-SHA-256: the server's last word, a success (verified) or a failure. */
    String authenticate(String username, String password) throws Exception {
        String features = open();
        assertTrue(features.contains("SCRAM-SHA-256"), features);
        ScramClient scram = new ScramClient("SCRAM-SHA-256", username, password);
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                + ScramClient.base64(scram.clientFirst()) + "</auth>");
        String challenge = next(frame -> frame.startsWith("<challenge") || frame.startsWith("<failure"));
        if (challenge.startsWith("<failure")) {
            return challenge;
        }
        send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + ScramClient.base64(scram.clientFinal(ScramClient.unbase64(text(challenge)))) + "</response>");
        String outcome = next(frame -> frame.startsWith("<success") || frame.startsWith("<failure"));
        if (outcome.startsWith("<success")) {
            assertTrue(scram.serverVerified(ScramClient.unbase64(text(outcome))), "the server proved it knows the password");
        }
        return outcome;
    }

    String fullJid() {
        return fullJid;
    }

    /** The next frame that matches (others are skipped), or fails after {@link #WAIT}. */
    String next(Predicate<String> wanted) throws InterruptedException {
        return next(wanted, WAIT).orElseThrow(() -> new AssertionError("no such frame within " + WAIT));
    }

    Optional<String> next(Predicate<String> wanted, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            String frame = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame != null && wanted.test(frame)) {
                return Optional.of(frame);
            }
        }
        return Optional.empty();
    }

    /** The character data of a one-element frame such as {@code <success xmlns='…'>…</success>}. */
    static String text(String frame) {
        int start = frame.indexOf('>') + 1;
        int end = frame.lastIndexOf("</");
        return end > start ? frame.substring(start, end) : "";
    }

    static boolean hasId(String frame, String id) {
        return frame.contains("id='" + id + "'") || frame.contains("id=\"" + id + "\"");
    }

    @Override
    public void close() {
        socket.abort();
    }
}
