package org.buddycloud.channels.xmpp.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddycloud.channels.account.ScramMechanism;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.xmppkit.SerialExecutor;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppConfig;
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
 * one session's work is ordered and never blocks the event loop or another session. What goes to the client
 * passes through {@link Outbound}: stream management (XEP-0198) and client state indication (XEP-0352).
 *
 * <p>A session with resumption on outlives its connection: when the connection drops without a closing
 * {@code </stream:stream>} it hibernates, bound and available, for the resumption time, and a new connection of the
 * same user that sends {@code <resume/>} instead of binding takes it over (its address, presence, counters and the
 * stanzas not acknowledged). Sessions are in this replica's memory: a resumption reaching another replica fails with
 * item-not-found and the client binds anew.
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
    private final Outbound out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private State state = State.OPENING;
    private ScramServer scram;
    private int saslFailures;
    private volatile Jid user;
    /** The stream management id while the session can be resumed. */
    private volatile String resumptionId;
    /** How long the session hibernates when its connection drops (negotiated at {@code <enable/>}). */
    private volatile Duration resumptionMax;
    private volatile long hibernationTimer = -1;
    private volatile Jid full;
    private volatile boolean available;
    private volatile boolean carbons;
    private volatile Instant availableSince;
    private boolean streamOpen;

    C2sSession(Transport transport, SessionContext context) {
        this.transport = transport;
        this.context = context;
        this.executor = new SerialExecutor(context.pool());
        this.parser = new StreamParser(this, context.config().maxStanzaBytes(), context.config().maxDepth());
        this.inbound = new InboundBudget(transport, context.config().maxStanzaBytes(), MAX_PENDING_CHUNKS);
        this.out = new Outbound(transport, context);
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
        out.connectionGone();
        enqueue(0, this::connectionLost);
    }

    private void enqueue(int size, Runnable task) {
        if (executor.backlog() > MAX_BACKLOG) {
            streamError("policy-violation", "too much input at once");
            return;
        }
        inbound.queued(size);
        executor.execute(() -> {
            try {
                if (state != State.CLOSED && !closed.get()) {
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
            features.add("sm", StreamManagement.NAMESPACE);
            features.add("csi", ClientState.NAMESPACE);
            // RFC 6121 §3.4: subscription pre-approval is kept (Rosters)
            features.add("sub", Namespaces.PRE_APPROVAL);
        }
        return features;
    }

    @Override
    public void stanza(XmlElement stanza) throws XmppStreamException {
        if (state == State.AUTHENTICATED || state == State.BOUND) {
            if (stanza.namespace().equals(StreamManagement.NAMESPACE)) {
                streamManagement(stanza);
                return;
            }
            if (stanza.namespace().equals(ClientState.NAMESPACE)) {
                clientState(stanza);
                return;
            }
        }
        switch (state) {
            case UNAUTHENTICATED -> beforeAuthentication(stanza);
            case AUTHENTICATED -> beforeBinding(stanza);
            case BOUND -> {
                context.router().route(this, stanza);
                out.handled();
            }
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

    // ---- stream management (XEP-0198) and client state indication (XEP-0352)

    private void streamManagement(XmlElement element) throws XmppStreamException {
        switch (element.name()) {
            case "enable" -> enable(element);
            case "resume" -> resume(element);
            case "r" -> out.ackRequested();
            case "a" -> acknowledged(element);
            default -> throw new XmppStreamException("unsupported-stanza-type", "unknown stream management element " + element.name());
        }
    }

    private void enable(XmlElement enable) {
        if (state != State.BOUND || out.managed()) {
            out.nonza(smFailed("unexpected-request"));
            return;
        }
        XmppConfig.StreamManagement config = context.config().streamManagement();
        boolean resume = "true".equals(enable.attr("resume")) || "1".equals(enable.attr("resume"));
        Duration max = config.resumptionTimeout();
        long preferred = parsePositive(enable.attr("max"));
        if (preferred > 0 && preferred < max.toSeconds()) {
            // the client's preferred maximum, when it asks for less than we would keep its session
            max = Duration.ofSeconds(preferred);
        }
        max = max.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : max;
        String id = resume ? context.resumable().register(this) : null;
        resumptionId = id;
        resumptionMax = max;
        XmlElement enabled = XmlElement.of("enabled", StreamManagement.NAMESPACE);
        if (resume) {
            enabled.attr("id", id).attr("resume", "true").attr("max", max.toSeconds());
        }
        out.enable(new StreamManagement(id, config.maxUnacked(), config.maxUnackedBytes(), config.requestAckAfter()), enabled);
        LOG.debugf("stream management on for %s%s", full, resume ? ", resumable for " + max : "");
    }

    private void acknowledged(XmlElement ack) throws XmppStreamException {
        long h;
        try {
            h = StreamManagement.parseCount(ack.attr("h"));
        } catch (IllegalArgumentException e) {
            throw new XmppStreamException("invalid-xml", "an acknowledgement carries h, a number of stanzas");
        }
        if (out.acknowledged(h) == StreamManagement.Ack.TOO_HIGH) {
            throw new XmppStreamException("undefined-condition", "handled-count-too-high: h=" + h + ", sent " + out.sentCount());
        }
    }

    /**
     * {@code <resume/>} instead of binding: the hibernating (or still connected) session of that id, if it is this
     * user's and on this replica, moves to this connection. The new session's outbound is held throughout, so that
     * stanzas forwarded from the old one follow the resent ones.
     */
    private void resume(XmlElement resume) throws XmppStreamException {
        if (state != State.AUTHENTICATED) {
            out.nonza(smFailed("unexpected-request"));
            return;
        }
        long h;
        try {
            h = StreamManagement.parseCount(resume.attr("h"));
        } catch (IllegalArgumentException e) {
            out.nonza(smFailed("bad-request"));
            return;
        }
        String previd = resume.attr("previd");
        C2sSession old = context.resumable().find(previd).filter(s -> s != this && user.equals(s.user())).orElse(null);
        boolean acknowledged;
        synchronized (out) {
            Outbound.Handover handover = old == null ? null : old.handOver(this);
            if (handover == null) {
                out.nonza(smFailed("item-not-found"));
                return;
            }
            full = old.fullJid();
            available = old.available();
            availableSince = old.availableSince();
            carbons = old.carbons();
            resumptionId = previd;
            resumptionMax = old.resumptionMax;
            state = State.BOUND;
            acknowledged = out.adopt(handover, h, XmlElement.of("resumed", StreamManagement.NAMESPACE).attr("previd", previd));
        }
        context.registry().transfer(full, old, this);
        context.resumable().moved(previd, old, this);
        if (!acknowledged) {
            throw new XmppStreamException("undefined-condition", "handled-count-too-high: h=" + h + " on resumption");
        }
        LOG.debugf("%s resumed from %s", full, transport.remoteAddress());
    }

    /** The old side of a resumption, on the new session's thread: hands everything over and closes its connection. */
    private Outbound.Handover handOver(C2sSession resumedBy) {
        Outbound.Handover handover = out.handOver(resumedBy);
        if (handover == null) {
            return null;
        }
        // from now on the old connection's input is dropped and its end changes nothing
        closed.set(true);
        long timer = hibernationTimer;
        if (timer >= 0) {
            context.timers().cancel(timer);
        }
        if (handover.oldConnection() != null) {
            handover.oldConnection().close();
        }
        return handover;
    }

    private static XmlElement smFailed(String condition) {
        XmlElement failed = XmlElement.of("failed", StreamManagement.NAMESPACE);
        failed.add(condition, Namespaces.STANZA_ERRORS);
        return failed;
    }

    private static long parsePositive(String value) {
        try {
            return value == null ? 0 : Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void clientState(XmlElement element) {
        if (state != State.BOUND) {
            return;
        }
        if (element.name().equals("inactive")) {
            out.inactive();
        } else if (element.name().equals("active")) {
            trouble(out.active().trouble());
        }
    }

    /** The connection dropped without the stream being closed: a resumable session hibernates, any other ends. */
    private void connectionLost() {
        if (state == State.BOUND && out.hibernate()) {
            hibernationTimer = context.timers().after(resumptionMax, () -> executor.execute(this::hibernationOver));
            LOG.debugf("%s hibernates: its connection dropped, it may be resumed", full);
            return;
        }
        release();
    }

    private void hibernationOver() {
        if (!closed.get()) {
            LOG.debugf("%s was not resumed in time", full);
            release();
        }
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
        if (available && !this.available) {
            availableSince = context.clock().instant();
        } else if (!available) {
            availableSince = null;
        }
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
    public Instant availableSince() {
        return availableSince;
    }

    @Override
    public void send(XmlElement stanza) {
        trySend(stanza);
    }

    @Override
    public boolean trySend(XmlElement stanza) {
        Outbound.Outcome outcome = out.stanza(stanza);
        if (outcome.forwardTo() != null) {
            return outcome.forwardTo().trySend(stanza);
        }
        trouble(outcome.trouble());
        return outcome.taken();
    }

    private void trouble(Outbound.Trouble trouble) {
        if (trouble == Outbound.Trouble.NOT_READING) {
            LOG.infof("closing %s: it does not read what is sent to it", full);
            streamError("policy-violation", "the client does not read its stanzas");
        } else if (trouble == Outbound.Trouble.TOO_MANY_UNACKNOWLEDGED) {
            // a client that does not acknowledge (or a hibernating session that gets much): its queue stays bounded
            LOG.infof("closing %s: it acknowledges too little of what is sent to it", full);
            close("policy-violation", "too many stanzas not acknowledged");
        }
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
        if (!out.connected()) {
            // hibernating: nobody to tell
            release();
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

    /**
     * The session ends for good: unbound, and what its client did not acknowledge goes to the user's other sessions
     * or offline storage. Nothing to do when it was resumed on another connection.
     */
    private void release() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state = State.CLOSED;
        // a session resumed elsewhere is known under its id as the new one: nothing is forgotten then
        context.resumable().forget(resumptionId, this);
        long timer = hibernationTimer;
        if (timer >= 0) {
            context.timers().cancel(timer);
        }
        if (full == null) {
            out.end();
            return;
        }
        context.unacknowledged().sessionEnded(full, () -> {
            List<UnacknowledgedStanzas.Stanza> unacknowledged = out.end();
            if (unacknowledged == null) {
                // resumed on another connection, which has the binding now
                return List.of();
            }
            context.registry().unbind(this);
            return unacknowledged;
        });
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
