package org.buddycloud.channels.xmpp.accept;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.stream.InboundBudget;
import org.buddycloud.channels.xmpp.stream.InputControl;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.SerialExecutor;
import org.buddycloud.xmppkit.StanzaReplies;
import org.buddycloud.xmppkit.component.Handshake;
import org.buddycloud.xmppkit.xml.StreamParser;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * One external component's connection (XEP-0114), accepting side: stream header, the SHA-1
 * handshake, then the component's stanzas, each with a {@code from} in the component's domain,
 * to the router. Parsed and handled on the stream's serial executor, with the limits of client
 * streams: stanza size and depth, and reading paused while too much input waits.
 *
 * <p>An unknown name and a wrong secret are told apart only in the log: both get
 * {@code not-authorized} after the handshake, so that the port does not tell who is accepted.
 */
final class ComponentStream implements StanzaSink, StreamParser.Listener, InputControl {

    private static final Logger LOG = Logger.getLogger(ComponentStream.class);
    /** Unhandled input chunks after which the connection is no longer read until the stream catches up. */
    private static final int MAX_PENDING_CHUNKS = 32;
    /** Hashed in place of the secret of a name we do not accept, so that both refusals cost the same. */
    private static final String NO_SECRET = UUID.randomUUID().toString();

    private enum State { OPENING, HANDSHAKING, ONLINE, CLOSED }

    private final NetSocket socket;
    private final Context eventLoop;
    private final ConnectedComponents components;
    private final ComponentRouter router;
    private final SerialExecutor executor;
    private final StreamParser parser;
    private final InboundBudget inbound;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String streamId = UUID.randomUUID().toString();
    private State state = State.OPENING;
    private boolean headerSent;
    private volatile String name;
    private volatile boolean online;

    /** Created on the connection's event loop. */
    ComponentStream(NetSocket socket, ConnectedComponents components, ComponentRouter router, Executor pool, int maxStanzaBytes,
                    int maxDepth) {
        this.socket = socket;
        this.eventLoop = Vertx.currentContext();
        this.components = components;
        this.router = router;
        this.executor = new SerialExecutor(pool);
        this.parser = new StreamParser(this, maxStanzaBytes, maxDepth);
        this.inbound = new InboundBudget(this, maxStanzaBytes, MAX_PENDING_CHUNKS);
    }

    // ---- input, from the network thread

    void onBytes(byte[] bytes) {
        inbound.queued(bytes.length);
        executor.execute(() -> {
            try {
                if (state != State.CLOSED) {
                    parser.feed(bytes, 0, bytes.length);
                }
            } catch (XmppStreamException e) {
                streamError(e.condition(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "handling the input of component %s failed", describe());
                streamError("internal-server-error", "the server failed to handle your input");
            } finally {
                inbound.handled(bytes.length);
            }
        });
    }

    void onDisconnected() {
        executor.execute(this::release);
    }

    @Override
    public void pauseInput() {
        eventLoop.runOnContext(v -> socket.pause());
    }

    @Override
    public void resumeInput() {
        eventLoop.runOnContext(v -> socket.resume());
    }

    // ---- the stream

    @Override
    public void streamOpened(XmlElement header) throws XmppStreamException {
        if (!header.is("stream", Namespaces.STREAMS)) {
            throw new XmppStreamException("invalid-namespace", "not an XMPP stream");
        }
        String to = header.attr("to");
        if (to == null || to.isBlank()) {
            throw new XmppStreamException("improper-addressing", "name the component in 'to'");
        }
        name = normalised(to);
        sendHeader(name);
        state = State.HANDSHAKING;
    }

    @Override
    public void stanza(XmlElement stanza) throws XmppStreamException {
        switch (state) {
            case HANDSHAKING -> handshake(stanza);
            case ONLINE -> fromComponent(stanza);
            default -> throw new XmppStreamException("not-authorized", "no stream is open");
        }
    }

    @Override
    public void streamClosed() {
        write("</stream:stream>");
        release();
        socket.close();
    }

    private void handshake(XmlElement stanza) throws XmppStreamException {
        if (!stanza.is("handshake", Namespaces.COMPONENT)) {
            throw new XmppStreamException("not-authorized", "do the handshake first");
        }
        var secret = components.secret(name);
        boolean matches = Handshake.matches(streamId, secret.orElse(NO_SECRET), stanza.text());
        if (secret.isEmpty() || !matches) {
            LOG.warnf("refused component %s from %s: %s", name, remoteAddress(), secret.isEmpty() ? "not accepted here" : "wrong secret");
            throw new XmppStreamException("not-authorized", "unknown component or wrong secret");
        }
        if (!components.claim(name, this)) {
            LOG.warnf("refused component %s from %s: it is connected already", name, remoteAddress());
            throw new XmppStreamException("conflict", name + " is connected already");
        }
        state = State.ONLINE;
        // acknowledged before anything is sent to it: the component reads stanzas only after this
        write("<handshake/>");
        online = true;
        LOG.infof("component %s connected from %s", name, remoteAddress());
    }

    private void fromComponent(XmlElement stanza) throws XmppStreamException {
        boolean known = stanza.namespace().equals(Namespaces.COMPONENT)
                && (stanza.name().equals("iq") || stanza.name().equals("message") || stanza.name().equals("presence"));
        if (!known) {
            throw new XmppStreamException("unsupported-stanza-type", "only iq, message and presence in " + Namespaces.COMPONENT);
        }
        if (!fromOwnDomain(stanza.attr("from"))) {
            LOG.warnf("component %s sent from '%s', which is not at its domain; closing its stream", name, stanza.attr("from"));
            throw new XmppStreamException("invalid-from", "a stanza from " + name + " comes from " + name + " or a JID at it");
        }
        router.routeFromComponent(this, stanza.inNamespace(Namespaces.COMPONENT, Namespaces.CLIENT));
    }

    private boolean fromOwnDomain(String from) {
        if (from == null) {
            return false;
        }
        try {
            return Jid.parse(from).domain().equals(name);
        } catch (InvalidJidException e) {
            return false;
        }
    }

    // ---- StanzaSink

    /** A stanza for the component; a component that does not read what it is sent is disconnected. */
    @Override
    public void send(XmlElement stanza) {
        if (!online || closed.get()) {
            return;
        }
        if (socket.writeQueueFull()) {
            LOG.warnf("closing component %s: it does not read what is sent to it", name);
            close("policy-violation", "the component does not read its stanzas");
            return;
        }
        write(stanza.toXml(Namespaces.COMPONENT));
    }

    /** Ends the stream with a stream error, after what is queued for it. */
    void close(String condition, String text) {
        try {
            executor.execute(() -> streamError(condition, text));
        } catch (RejectedExecutionException stopping) {
            socket.close();
        }
    }

    private void streamError(String condition, String text) {
        if (closed.get()) {
            return;
        }
        if (!headerSent) {
            sendHeader(name);
        }
        write(StanzaReplies.streamError(condition, text) + "</stream:stream>");
        LOG.debugf("stream error %s for component %s: %s", condition, describe(), text);
        release();
        socket.close();
    }

    private void release() {
        if (closed.compareAndSet(false, true)) {
            state = State.CLOSED;
            if (online) {
                online = false;
                components.release(name, this);
                LOG.infof("component %s disconnected", name);
            }
        }
    }

    private void sendHeader(String from) {
        headerSent = true;
        XmlElement header = XmlElement.of("stream", Namespaces.STREAMS).attr("from", from).attr("id", streamId);
        write("<?xml version='1.0'?>" + header.openingTag("stream", Map.of("", Namespaces.COMPONENT, "stream", Namespaces.STREAMS)));
    }

    private void write(String xml) {
        socket.write(Buffer.buffer(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String normalised(String to) {
        try {
            Jid jid = Jid.parse(to.trim());
            return jid.localpart().isEmpty() && jid.resource().isEmpty() ? jid.domain() : to.trim();
        } catch (InvalidJidException e) {
            // not a name we could accept: the handshake is refused like any unknown name
            return to.trim();
        }
    }

    private String describe() {
        return name == null ? remoteAddress() : name;
    }

    private String remoteAddress() {
        return socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    }
}
