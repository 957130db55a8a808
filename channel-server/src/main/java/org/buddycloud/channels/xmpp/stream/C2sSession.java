package org.buddycloud.channels.xmpp.stream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddycloud.channels.account.ScramMechanism;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.xmppkit.SerialExecutor;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.StreamParser;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.jboss.logging.Logger;

/**
 * One client connection (RFC 6120): stream header and features, STARTTLS, SASL (SCRAM-SHA-256,
 * SCRAM-SHA-1, and PLAIN only inside TLS), in-band registration (inside TLS too), resource binding, then stanzas
 * handed to the router. Bytes are parsed and stanzas handled on the session's serial executor, so
 * one session's work is ordered and never blocks the event loop or another session.
 */
final class C2sSession implements ClientSession, StreamParser.Listener {

    private static final Logger LOG = Logger.getLogger(C2sSession.class);
    private static final int MAX_SASL_FAILURES = 3;
    private static final int MAX_BACKLOG = 1000;
    /** Unhandled input chunks after which the connection is no longer read until the session catches up. */
    private static final int MAX_PENDING_CHUNKS = 32;

    private enum State { OPENING, UNAUTHENTICATED, AUTHENTICATED, BOUND, CLOSED }

    private final Transport transport;
    private final SessionContext context;
    private final SerialExecutor executor;
    private final StreamParser parser;
    private final InboundBudget inbound;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean disconnected;
    private State state = State.OPENING;
    private ScramServer scram;
    private int saslFailures;
    private Jid user;
    private volatile Jid full;
    private volatile boolean available;
    private volatile boolean carbons;
    private boolean streamOpen;

    C2sSession(Transport transport, SessionContext context) {
        this.transport = transport;
        this.context = context;
        this.executor = new SerialExecutor(context.pool());
        this.parser = new StreamParser(this, context.config().maxStanzaBytes(), context.config().maxDepth());
        this.inbound = new InboundBudget(transport, context.config().maxStanzaBytes(), MAX_PENDING_CHUNKS);
    }

    // ---- input, from the network thread

    void onBytes(byte[] bytes) {
        enqueue(bytes.length, () -> {
            try {
                parser.feed(bytes, 0, bytes.length);
            } catch (XmppStreamException e) {
                streamError(e.condition(), e.getMessage());
            } catch (RuntimeException e) {
                failed(e);
            }
        });
    }

    /** RFC 7395: each WebSocket message is one element: {@code <open/>}, a stanza, or {@code <close/>}. */
    void onFrame(String frame) {
        enqueue(frame.length(), () -> {
            try {
                XmlElement element = Fragments.parse(frame, context.config().maxStanzaBytes(), context.config().maxDepth());
                if (element.is("open", Namespaces.FRAMING)) {
                    streamOpened(element);
                } else if (element.is("close", Namespaces.FRAMING)) {
                    streamClosed();
                } else {
                    stanza(element);
                }
            } catch (XmppStreamException e) {
                streamError(e.condition(), e.getMessage());
            } catch (RuntimeException e) {
                failed(e);
            }
        });
    }

    /** On the network thread: from now on nothing written reaches the client, whatever is still queued. */
    void onDisconnected() {
        disconnected = true;
        enqueue(0, this::release);
    }

    private void enqueue(int size, Runnable task) {
        if (executor.backlog() > MAX_BACKLOG) {
            streamError("policy-violation", "too much input at once");
            return;
        }
        inbound.queued(size);
        executor.execute(() -> {
            try {
                if (state != State.CLOSED) {
                    task.run();
                }
            } finally {
                inbound.handled(size);
            }
        });
    }

    /** A bug or an outage while handling the client's input: the stream cannot be trusted to be in step any more. */
    private void failed(RuntimeException e) {
        LOG.errorf(e, "handling the input of %s failed", full == null ? transport.remoteAddress() : full);
        streamError("internal-server-error", "the server failed to handle your input");
    }

    // ---- the stream

    @Override
    public void streamOpened(XmlElement header) throws XmppStreamException {
        boolean framed = header.is("open", Namespaces.FRAMING);
        if (!framed && !header.is("stream", Namespaces.STREAMS)) {
            throw new XmppStreamException("invalid-namespace", "not an XMPP stream");
        }
        String to = header.attr("to");
        if (to != null && !to.equalsIgnoreCase(context.domain())) {
            streamOpen = true;
            sendHeader(framed);
            throw new XmppStreamException("host-unknown", "this server serves " + context.domain());
        }
        streamOpen = true;
        sendHeader(framed);
        if (state == State.OPENING) {
            state = State.UNAUTHENTICATED;
        }
        transport.send(features().toXml());
    }

    private void sendHeader(boolean framed) {
        String id = UUID.randomUUID().toString();
        if (framed) {
            transport.send(XmlElement.of("open", Namespaces.FRAMING).attr("from", context.domain()).attr("id", id)
                    .attr("version", "1.0").attr("xml:lang", "en").toXml());
        } else {
            transport.send("<?xml version='1.0'?>" + XmlElement.of("stream", Namespaces.STREAMS).attr("from", context.domain())
                    .attr("id", id).attr("version", "1.0").attr("xml:lang", "en")
                    .openingTag("stream", Map.of("", Namespaces.CLIENT, "stream", Namespaces.STREAMS)));
        }
    }

    private XmlElement features() {
        XmlElement features = XmlElement.of("features", Namespaces.STREAMS);
        if (state == State.UNAUTHENTICATED) {
            if (transport.tlsAvailable()) {
                features.add("starttls", Namespaces.TLS);
            }
            XmlElement mechanisms = features.add("mechanisms", Namespaces.SASL);
            mechanisms.addText("mechanism", "SCRAM-SHA-256").addText("mechanism", "SCRAM-SHA-1");
            if (transport.encrypted()) {
                mechanisms.addText("mechanism", "PLAIN");
            }
            if (context.config().registrationEnabled() && transport.encrypted()) {
                features.add("register", Namespaces.REGISTER_FEATURE);
            }
        } else {
            features.add("bind", Namespaces.BIND);
            features.add("session", Namespaces.SESSION).add("optional");
        }
        return features;
    }

    @Override
    public void stanza(XmlElement stanza) throws XmppStreamException {
        switch (state) {
            case UNAUTHENTICATED -> beforeAuthentication(stanza);
            case AUTHENTICATED -> beforeBinding(stanza);
            case BOUND -> context.router().route(this, stanza);
            default -> throw new XmppStreamException("not-authorized", "no stream is open");
        }
    }

    @Override
    public void streamClosed() {
        if (!transport.framed()) {
            transport.send("</stream:stream>");
        } else {
            transport.send(XmlElement.of("close", Namespaces.FRAMING).toXml());
        }
        release();
        transport.close();
    }

    // ---- before authentication: STARTTLS, SASL, registration

    private void beforeAuthentication(XmlElement stanza) throws XmppStreamException {
        if (stanza.is("starttls", Namespaces.TLS)) {
            if (!transport.tlsAvailable()) {
                transport.send(XmlElement.of("failure", Namespaces.TLS).toXml());
                throw new XmppStreamException("policy-violation", "STARTTLS is not available here");
            }
            parser.restart();
            transport.startTls(XmlElement.of("proceed", Namespaces.TLS).toXml());
            state = State.OPENING;
            return;
        }
        if (stanza.namespace().equals(Namespaces.SASL)) {
            sasl(stanza);
            return;
        }
        if (stanza.is("iq", Namespaces.CLIENT) && stanza.firstElement().filter(q -> q.is("query", Namespaces.REGISTER)).isPresent()) {
            transport.send(IqAnswers.answer(stanza, () -> context.registration().handle(stanza, null, transport.remoteAddress(),
                    transport.encrypted())).toXml());
            return;
        }
        throw new XmppStreamException("not-authorized", "authenticate first");
    }

    private void sasl(XmlElement stanza) throws XmppStreamException {
        try {
            switch (stanza.name()) {
                case "auth" -> authStart(stanza);
                case "response" -> {
                    if (scram == null) {
                        throw new SaslFailure("malformed-request", "no SASL exchange in progress");
                    }
                    String serverFinal = scram.last(decode(stanza.text()));
                    succeed(scram.account().orElseThrow(), serverFinal);
                }
                case "abort" -> {
                    scram = null;
                    transport.send(XmlElement.of("failure", Namespaces.SASL).append(XmlElement.of("aborted", Namespaces.SASL)).toXml());
                }
                default -> throw new SaslFailure("malformed-request", "unknown SASL element " + stanza.name());
            }
        } catch (SaslFailure failure) {
            fail(failure);
        }
    }

    private void authStart(XmlElement auth) throws SaslFailure, XmppStreamException {
        String mechanism = auth.attr("mechanism");
        String initial = decode(auth.text());
        switch (mechanism == null ? "" : mechanism) {
            case "SCRAM-SHA-256", "SCRAM-SHA-1" -> {
                scram = new ScramServer(mechanism.equals("SCRAM-SHA-1") ? ScramMechanism.SHA_1 : ScramMechanism.SHA_256,
                        context.accounts(), context.accounts().random());
                String serverFirst = scram.first(initial);
                throttleCheck(scram.username());
                transport.send(XmlElement.of("challenge", Namespaces.SASL).text(encode(serverFirst)).toXml());
            }
            case "PLAIN" -> {
                if (!transport.encrypted()) {
                    throw new SaslFailure("encryption-required", "PLAIN is only accepted inside TLS");
                }
                String[] parts = initial.split("\u0000", -1);
                if (parts.length != 3) {
                    throw new SaslFailure("malformed-request", "PLAIN is authzid NUL authcid NUL password");
                }
                throttleCheck(parts[1]);
                Jid account = context.accounts().authenticate(parts[1], parts[2]).orElseThrow(() -> {
                    context.accounts().throttle().record(parts[1], transport.remoteAddress());
                    return new SaslFailure("not-authorized", "wrong user name or password");
                });
                succeed(account, null);
            }
            default -> throw new SaslFailure("invalid-mechanism", "offered: SCRAM-SHA-256, SCRAM-SHA-1"
                    + (transport.encrypted() ? ", PLAIN" : ""));
        }
    }

    private void throttleCheck(String username) throws SaslFailure {
        try {
            context.accounts().throttle().checkAllowed(username, transport.remoteAddress());
        } catch (RateLimitedException e) {
            throw new SaslFailure("temporary-auth-failure", "too many failed logins; try again later");
        }
    }

    private void succeed(Jid account, String additionalData) {
        context.accounts().throttle().forgive(account.toString());
        scram = null;
        user = account;
        state = State.AUTHENTICATED;
        parser.restart();
        XmlElement success = XmlElement.of("success", Namespaces.SASL);
        if (additionalData != null) {
            success.text(encode(additionalData));
        }
        transport.send(success.toXml());
        LOG.debugf("%s authenticated from %s", account, transport.remoteAddress());
    }

    private void fail(SaslFailure failure) throws XmppStreamException {
        if ("not-authorized".equals(failure.condition()) && scram != null) {
            try {
                context.accounts().throttle().record(scram.username(), transport.remoteAddress());
            } catch (SaslFailure ignored) {
                // the user name itself was unreadable; the address is counted below
                context.accounts().throttle().record("", transport.remoteAddress());
            }
        }
        scram = null;
        XmlElement reply = XmlElement.of("failure", Namespaces.SASL);
        reply.add(failure.condition());
        reply.add("text").text(failure.getMessage());
        transport.send(reply.toXml());
        if (++saslFailures >= MAX_SASL_FAILURES) {
            throw new XmppStreamException("policy-violation", "too many failed authentication attempts");
        }
    }

    // ---- after authentication: binding

    private void beforeBinding(XmlElement stanza) throws XmppStreamException {
        Optional<XmlElement> bind = stanza.is("iq", Namespaces.CLIENT) && "set".equals(stanza.attr("type"))
                ? stanza.element("bind", Namespaces.BIND) : Optional.empty();
        if (bind.isEmpty()) {
            throw new XmppStreamException("not-authorized", "bind a resource first");
        }
        String resource = bind.get().childText("resource", Namespaces.BIND).orElse(null);
        try {
            full = context.registry().bind(this, user, resource);
        } catch (RuntimeException e) {
            send(Stanzas.error(stanza, "modify", "bad-request", "invalid resource", null));
            return;
        }
        state = State.BOUND;
        XmlElement result = Stanzas.result(stanza).attr("to", null).attr("from", null);
        result.add("bind", Namespaces.BIND).addText("jid", full.toString());
        send(result);
    }

    // ---- ClientSession

    @Override
    public Jid fullJid() {
        return full;
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public void available(boolean available) {
        this.available = available;
    }

    @Override
    public boolean carbons() {
        return carbons;
    }

    @Override
    public void carbons(boolean enabled) {
        this.carbons = enabled;
    }

    @Override
    public void send(XmlElement stanza) {
        trySend(stanza);
    }

    @Override
    public boolean trySend(XmlElement stanza) {
        if (closed.get() || disconnected) {
            return false;
        }
        if (!transport.writable()) {
            LOG.infof("closing %s: it does not read what is sent to it", full);
            streamError("policy-violation", "the client does not read its stanzas");
            return false;
        }
        transport.send(stanza.toXml());
        return true;
    }

    @Override
    public boolean encrypted() {
        return transport.encrypted();
    }

    @Override
    public void close(String condition, String text) {
        executor.execute(() -> streamError(condition, text));
    }

    private void streamError(String condition, String text) {
        if (closed.get()) {
            return;
        }
        if (!streamOpen) {
            sendHeader(transport.framed());
        }
        String details = XmlElement.of(condition, Namespaces.STREAM_ERRORS).toXml()
                + (text == null ? "" : XmlElement.of("text", Namespaces.STREAM_ERRORS).text(text).toXml());
        if (transport.framed()) {
            // RFC 7395 §3.3.3: every WebSocket message is one element, so the error and the close are two
            transport.send("<stream:error xmlns:stream=\"" + Namespaces.STREAMS + "\">" + details + "</stream:error>");
            transport.send(XmlElement.of("close", Namespaces.FRAMING).toXml());
        } else {
            transport.send("<stream:error>" + details + "</stream:error></stream:stream>");
        }
        LOG.debugf("stream error %s for %s: %s", condition, full == null ? transport.remoteAddress() : full, text);
        release();
        transport.close();
    }

    private void release() {
        if (closed.compareAndSet(false, true)) {
            state = State.CLOSED;
            if (full != null) {
                context.registry().unbind(this);
            }
        }
    }

    Jid user() {
        return user;
    }

    private static String decode(String text) throws SaslFailure {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty() || trimmed.equals("=")) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(trimmed), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SaslFailure("incorrect-encoding", "invalid base64");
        }
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

}
