package org.buddycloud.channels.xmpp.stream;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.StreamParser;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * One client connection (RFC 6120), as a state machine: stream header and features, STARTTLS, SASL
 * ({@link SaslAuthentication}), in-band registration (inside TLS), resource binding ({@link ResourceBinding}), then
 * stanzas handed to the router. Bytes are parsed and stanzas handled on the session's serial executor
 * ({@link SessionFlow}), so one session's work is ordered and never blocks the event loop or another session. What
 * goes to the client passes through {@link Outbound}: stream management (XEP-0198, negotiated in
 * {@link SessionStreamManagement}) and client state indication (XEP-0352).
 *
 * <p>A session with resumption on outlives its connection: when the connection drops without a closing
 * {@code </stream:stream>} it hibernates, bound and available, for the resumption time, and a new connection of the
 * same user that sends {@code <resume/>} instead of binding takes it over (its address, presence, counters and the
 * stanzas not acknowledged). Sessions are in this replica's memory: a resumption reaching another replica fails with
 * item-not-found and the client binds anew.
 */
final class C2sSession implements ClientSession, StreamParser.Listener {

    private static final Logger LOG = Logger.getLogger(C2sSession.class);

    private enum State { OPENING, UNAUTHENTICATED, AUTHENTICATED, BOUND, CLOSED }

    private final Transport transport;
    private final SessionContext context;
    private final SessionFlow flow;
    private final StreamParser parser;
    private final Outbound out;
    private final SaslAuthentication sasl;
    private final ResourceBinding binding;
    private final SessionStreamManagement streamManagement;
    private final AtomicBoolean closed = new AtomicBoolean();
    private State state = State.OPENING;
    private volatile Jid user;
    private volatile Jid full;
    private volatile boolean available;
    private volatile boolean carbons;
    private volatile Instant availableSince;
    private boolean streamOpen;

    C2sSession(Transport transport, SessionContext context) {
        this.transport = transport;
        this.context = context;
        this.flow = new SessionFlow(context.pool(), transport, context.config().maxStanzaBytes(),
                () -> state != State.CLOSED && !closed.get(), this::streamError);
        this.parser = new StreamParser(this, context.config().maxStanzaBytes(), context.config().maxDepth());
        this.out = new Outbound(transport, context);
        this.sasl = new SaslAuthentication(transport, context.accounts(), this::authenticated);
        this.binding = new ResourceBinding(context.registry());
        this.streamManagement = new SessionStreamManagement(this, context, out);
    }

    // ---- input, from the network thread

    void onBytes(byte[] bytes) {
        flow.input(bytes.length, () -> {
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
        flow.input(frame.length(), () -> {
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
        flow.input(0, this::connectionLost);
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
            sasl.offer(features);
            if (context.config().registrationEnabled() && transport.encrypted()) {
                features.add("register", Namespaces.REGISTER_FEATURE);
            }
        } else {
            ResourceBinding.offer(features);
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
                streamManagement.handle(stanza, state == State.BOUND);
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
            sasl.handle(stanza);
            return;
        }
        if (stanza.is("iq", Namespaces.CLIENT) && stanza.firstElement().filter(q -> q.is("query", Namespaces.REGISTER)).isPresent()) {
            transport.send(IqAnswers.answer(stanza, () -> context.registration().handle(stanza, null, transport.remoteAddress(),
                    transport.encrypted())).toXml());
            return;
        }
        throw new XmppStreamException("not-authorized", "authenticate first");
    }

    /** SASL succeeded: the client opens a new stream, as the authenticated user. */
    private void authenticated(Jid account) {
        user = account;
        state = State.AUTHENTICATED;
        parser.restart();
    }

    // ---- after authentication: binding (or resumption, which is stream management's)

    private void beforeBinding(XmlElement stanza) throws XmppStreamException {
        Optional<Jid> bound = binding.bind(this, user, stanza);
        if (bound.isPresent()) {
            full = bound.get();
            state = State.BOUND;
            send(ResourceBinding.bound(stanza, full));
        }
    }

    /** This session takes the place of the one it resumes: its address, presence and carbons. */
    void resumes(C2sSession old) {
        full = old.fullJid();
        available = old.available();
        availableSince = old.availableSince();
        carbons = old.carbons();
        state = State.BOUND;
    }

    /** Resumed on another connection: from now on this one's input is dropped and its end changes nothing. */
    void resumedElsewhere() {
        closed.set(true);
    }

    SessionStreamManagement streamManagement() {
        return streamManagement;
    }

    // ---- client state indication (XEP-0352)

    private void clientState(XmlElement element) {
        if (state != State.BOUND) {
            return;
        }
        if (element.name().equals("inactive")) {
            out.inactive();
        } else if (element.name().equals("active")) {
            flow.sent(out.active().trouble(), full);
        }
    }

    // ---- the connection's end

    /** The connection dropped without the stream being closed: a resumable session hibernates, any other ends. */
    private void connectionLost() {
        if (state == State.BOUND && streamManagement.hibernate(() -> flow.execute(this::hibernationOver))) {
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
        flow.sent(outcome.trouble(), full);
        return outcome.taken();
    }

    @Override
    public boolean encrypted() {
        return transport.encrypted();
    }

    @Override
    public void close(String condition, String text) {
        flow.execute(() -> streamError(condition, text));
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
        streamManagement.ended();
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

    String remoteAddress() {
        return transport.remoteAddress();
    }
}
