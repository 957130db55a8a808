package org.buddycloud.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A server-to-server peer written by hand, for what a real server would never do: claim a domain it is not, send
 * before it proved anything. It reads what our server writes as text, which is enough to look for an element.
 */
final class RawS2sPeer implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = 20_000;

    private final X509TrustManager trust;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final StringBuilder received = new StringBuilder();
    private int consumed;

    RawS2sPeer(int port, X509TrustManager trust) throws IOException {
        this.trust = trust;
        this.socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void openStream(String from, String to) throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback' from='" + from + "' to='" + to + "' version='1.0'>");
    }

    /** STARTTLS as the server asked for it, and the stream opened again over TLS; returns the new stream's id. */
    String startTls(String from, String to) throws IOException, GeneralSecurityException {
        await("<starttls");
        send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await("<proceed");
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trust}, null);
        SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        secured.startHandshake();
        socket = secured;
        in = secured.getInputStream();
        out = secured.getOutputStream();
        received.setLength(0);
        consumed = 0;
        openStream(from, to);
        Matcher id = await("<stream:stream[^>]*\\sid=['\"]([^'\"]+)['\"]");
        await("</stream:features>|</features>");
        return id.group(1);
    }

    /** Waits for text matching {@code regex} after what was matched before; fails when the stream ends or goes quiet. */
    Matcher await(String regex) throws IOException {
        Pattern pattern = Pattern.compile(regex);
        byte[] buffer = new byte[8192];
        while (true) {
            Matcher matcher = pattern.matcher(received);
            if (matcher.find(consumed)) {
                consumed = matcher.end();
                return matcher;
            }
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no " + regex + " within " + READ_TIMEOUT_MS + " ms; received: " + received, e);
            }
            if (read < 0) {
                throw new AssertionError("the stream ended before " + regex + "; received: " + received);
            }
            received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        }
    }

    /** True once the server closed the connection (reads to the end). */
    boolean closedByServer() throws IOException {
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // a reset is a close too
            return true;
        }
    }

    String received() {
        return received.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
