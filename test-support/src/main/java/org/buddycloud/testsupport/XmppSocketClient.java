package org.buddycloud.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A minimal XMPP client on a plain socket, for the benchmark's harness and for services' tests: it
 * registers in-band (XEP-0077), logs in with SCRAM-SHA-1 (offered without TLS on loopback by our
 * server and by Prosody), binds, and then sends IQs and waits for their answers, or hands its
 * channel to a selector. Text is scanned, not parsed: a load harness must be cheaper than the
 * servers it measures, and the channel server's own tests use full clients (Smack).
 */
public final class XmppSocketClient implements AutoCloseable {

    private final SocketChannel channel;
    private final String domain;
    private final byte[] bytes = new byte[64 * 1024];
    private final StringBuilder pending = new StringBuilder();
    private String fullJid;

    private XmppSocketClient(SocketChannel channel, String domain) {
        this.channel = channel;
        this.domain = domain;
    }

    public static XmppSocketClient connect(int port, String domain) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.socket().setTcpNoDelay(true);
        // blocking reads give up after this long instead of hanging a test or a benchmark
        channel.socket().setSoTimeout(30_000);
        return new XmppSocketClient(channel, domain);
    }

    /** Registers the account in-band on a fresh stream, then logs in on a new one. */
    public static XmppSocketClient registerAndLogin(int port, String domain, String username, String password) throws IOException {
        try (XmppSocketClient registering = connect(port, domain)) {
            registering.openStream();
            String reply = registering.iq("<iq type='set' id='reg'><query xmlns='jabber:iq:register'><username>" + username
                    + "</username><password>" + password + "</password><email>" + username + "@example.com</email></query></iq>", "reg");
            if (!reply.contains("type='result'") && !reply.contains("type=\"result\"")) {
                throw new IOException("registration of " + username + " refused: " + reply);
            }
        }
        XmppSocketClient client = connect(port, domain);
        client.login(username, password);
        return client;
    }

    public void login(String username, String password) throws IOException {
        openStream();
        try {
            byte[] nonceBytes = new byte[18];
            new SecureRandom().nextBytes(nonceBytes);
            String nonce = Base64.getEncoder().encodeToString(nonceBytes);
            String clientFirstBare = "n=" + username + ",r=" + nonce;
            send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>" + b64("n,," + clientFirstBare) + "</auth>");
            String challenge = between(readUntil("</challenge>"), ">", "</challenge>");
            String serverFirst = new String(Base64.getDecoder().decode(challenge), StandardCharsets.UTF_8);
            Map<String, String> a = attributes(serverFirst);
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(new PBEKeySpec(password.toCharArray(),
                    Base64.getDecoder().decode(a.get("s")), Integer.parseInt(a.get("i")), 160)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            String withoutProof = "c=biws,r=" + a.get("r");
            byte[] signature = hmac(MessageDigest.getInstance("SHA-1").digest(clientKey), clientFirstBare + "," + serverFirst + "," + withoutProof);
            for (int i = 0; i < clientKey.length; i++) {
                clientKey[i] ^= signature[i];
            }
            send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + b64(withoutProof + ",p="
                    + Base64.getEncoder().encodeToString(clientKey)) + "</response>");
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        String outcome = readUntilAny("</success>", "<success", "</failure>");
        if (!outcome.contains("success")) {
            throw new IOException("login of " + username + " refused: " + outcome);
        }
        pending.setLength(0);
        openStream();
        String bound = iq("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>bench</resource></bind></iq>", "bind");
        fullJid = between(bound, "<jid>", "</jid>");
        iq("<iq type='set' id='sess'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>", "sess");
    }

    public String fullJid() {
        return fullJid;
    }

    public String bareJid() {
        return fullJid.substring(0, fullJid.indexOf('/'));
    }

    public void openStream() throws IOException {
        send("<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>");
        // servers write either <stream:features> or <features xmlns='http://etherx.jabber.org/streams'>
        readUntilAny("</stream:features>", "</features>");
    }

    /** Sends an IQ carrying {@code id} and returns everything up to its answer. */
    public String iq(String xml, String id) throws IOException {
        send(xml);
        String upTo = readUntilAny("id='" + id + "'", "id=\"" + id + "\"");
        String tag = readUntil(">");
        // an answer without a payload is a self-closing <iq .../>
        return tag.endsWith("/>") ? upTo + tag : upTo + tag + readUntil("</iq>");
    }

    /** An IQ with a fresh id. */
    public String iq(String xml) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 12);
        return iq(xml.replaceFirst("<iq ", "<iq id='" + id + "' "), id);
    }

    public void send(String xml) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(xml.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** Waits for a {@code <message>} whose text contains {@code marker} and returns it; other stanzas are skipped. */
    public String awaitMessage(String marker) throws IOException {
        while (true) {
            String upTo = readUntilAny("</message>");
            String message = upTo.substring(Math.max(0, upTo.lastIndexOf("<message")));
            if (message.contains(marker)) {
                return message;
            }
        }
    }

    public SocketChannel channel() {
        return channel;
    }

    private String readUntil(String marker) throws IOException {
        return readUntilAny(marker);
    }

    /** Reads until one of the markers has arrived; returns the text through it and keeps the rest. */
    private String readUntilAny(String... markers) throws IOException {
        while (true) {
            for (String marker : markers) {
                int at = pending.indexOf(marker);
                if (at >= 0) {
                    String upTo = pending.substring(0, at + marker.length());
                    pending.delete(0, at + marker.length());
                    return upTo;
                }
            }
            int n = channel.socket().getInputStream().read(bytes);
            if (n < 0) {
                throw new IOException("the server closed the connection; last read: " + pending);
            }
            pending.append(new String(bytes, 0, n, StandardCharsets.UTF_8));
        }
    }

    private static String between(String text, String start, String end) {
        int s = text.lastIndexOf(start, text.lastIndexOf(end));
        return text.substring(s + start.length(), text.lastIndexOf(end));
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> a = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() > 2 && part.charAt(1) == '=') {
                a.put(part.substring(0, 1), part.substring(2));
            }
        }
        return a;
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
