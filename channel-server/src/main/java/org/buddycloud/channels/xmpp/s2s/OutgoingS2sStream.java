package org.buddycloud.channels.xmpp.s2s;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executor;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.xmppkit.s2s.S2sNamespaces;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;

/**
 * Our stream to another server, initiating side (RFC 6120): header, STARTTLS, then Server Dialback (XEP-0220) for the
 * pair of domains its {@link OutgoingLink} stands for. Once the stream is encrypted it may carry our own questions
 * about other streams ({@code <db:verify/>}) even before the remote believes us; once the remote says our key is valid
 * it carries stanzas. It never takes stanzas from the remote: those come on the remote's own stream to us.
 */
final class OutgoingS2sStream extends S2sConnection {

    private enum State { OPENING, TLS, SASL, RESTARTED, DIALBACK, READY }

    private final OutgoingLink link;
    private final boolean tlsRequired;
    private State state = State.OPENING;
    private String streamId;

    OutgoingS2sStream(NetSocket socket, Context eventLoop, Executor pool, S2sConfig config, OutgoingLink link) {
        super(socket, eventLoop, pool, config);
        this.link = link;
        this.tlsRequired = config.tlsRequired();
    }

    /** Opens the stream; on the connection's event loop, after {@link #attach()}. */
    void open() {
        sendOwnHeader();
    }

    @Override
    protected void sendOwnHeader() {
        sendHeader(link.local(), link.remote(), null);
    }

    @Override
    public void streamOpened(XmlElement header) throws XmppStreamException {
        if (!header.is("stream", Namespaces.STREAMS)) {
            throw new XmppStreamException("invalid-namespace", "not an XMPP stream");
        }
        streamId = header.attr("id");
        if (streamId == null || streamId.isBlank()) {
            // the dialback key is bound to the receiving server's stream id (XEP-0220 §2.1.1)
            throw new XmppStreamException("invalid-id", "a stream to a server needs an id");
        }
    }

    @Override
    public void stanza(XmlElement element) throws XmppStreamException {
        if (endedByPeer(element)) {
            return;
        }
        if (element.is("features", Namespaces.STREAMS)) {
            features(element);
        } else if (element.is("proceed", Namespaces.TLS) && state == State.TLS) {
            upgrade();
        } else if (element.is("failure", Namespaces.TLS)) {
            link.failed("remote-server-not-found", link.remote() + " refused TLS");
            throw new XmppStreamException("undefined-condition", "TLS was refused");
        } else if (element.is("success", Namespaces.SASL) && state == State.SASL) {
            // XEP-0178: our certificate proved us; a new stream over the same TLS, then stanzas
            parser.restart();
            state = State.RESTARTED;
            sendOwnHeader();
        } else if (element.is("failure", Namespaces.SASL) && state == State.SASL) {
            // the remote does not take our certificate: dialback on the same stream, as Prosody falls back
            dialback();
        } else if (DialbackElements.isResult(element) && state == State.DIALBACK) {
            dialbackVerdict(element);
        } else if (DialbackElements.isVerify(element) && element.attr("type") != null) {
            link.verifyAnswered(element.attr("id"), "valid".equals(element.attr("type")));
        } else {
            throw new XmppStreamException("unsupported-stanza-type", "this stream carries stanzas from us only");
        }
    }

    private void features(XmlElement features) throws XmppStreamException {
        if (state == State.RESTARTED) {
            state = State.READY;
            link.streamOpened(this);
            link.ready(this);
            link.believed("EXTERNAL");
            return;
        }
        if (!encrypted()) {
            if (features.element("starttls", Namespaces.TLS).isPresent()) {
                state = State.TLS;
                write("<starttls xmlns='" + Namespaces.TLS + "'/>");
                return;
            }
            if (tlsRequired) {
                link.failed("remote-server-not-found", link.remote() + " does not offer TLS, which we require");
                throw new XmppStreamException("policy-violation", "TLS is required");
            }
        }
        boolean external = features.element("mechanisms", Namespaces.SASL).stream()
                .flatMap(mechanisms -> mechanisms.elements("mechanism", Namespaces.SASL).stream())
                .anyMatch(mechanism -> "EXTERNAL".equals(mechanism.text().trim()));
        if (encrypted() && external) {
            state = State.SASL;
            write("<auth xmlns='" + Namespaces.SASL + "' mechanism='EXTERNAL'>"
                    + Base64.getEncoder().encodeToString(link.local().getBytes(StandardCharsets.UTF_8)) + "</auth>");
        } else {
            dialback();
        }
    }

    private void dialback() {
        state = State.DIALBACK;
        // no restart is to come: the stream may now carry our questions about the remote's streams to us
        link.streamOpened(this);
        write(DialbackElements.result(link.local(), link.remote(), link.keys().generate(link.remote(), link.local(), streamId)));
    }

    private void upgrade() {
        // the remote's TLS handshake begins after <proceed/>: nothing else arrives before it
        upgradeToTls(null, link.remote(), failure -> {
            if (failure == null) {
                sendOwnHeader();
            } else {
                link.failed("remote-server-not-found", "TLS with " + link.remote() + " failed: " + failure.getMessage());
                streamError("undefined-condition", "TLS failed");
            }
        });
    }

    private void dialbackVerdict(XmlElement result) throws XmppStreamException {
        if ("valid".equals(result.attr("type"))) {
            state = State.READY;
            link.ready(this);
            link.believed("dialback");
        } else {
            link.failed("remote-server-not-found", link.remote() + " did not believe that we are " + link.local());
            throw new XmppStreamException("not-authorized", "dialback failed");
        }
    }

    /** A stanza for the remote, once the link is ready; in the namespace of server streams. */
    void send(XmlElement stanza) {
        write(stanza.stanzaInNamespace(Namespaces.CLIENT, S2sNamespaces.SERVER).toXml());
    }

    /** Asks the remote, as authoritative server, whether the key one of its streams to us gave is its own. */
    void askVerify(String id, String key) {
        write(DialbackElements.verify(link.local(), link.remote(), id, key));
    }

    boolean writable() {
        return !socket.writeQueueFull();
    }

    @Override
    protected void released() {
        link.streamEnded(this);
    }

    @Override
    protected String describe() {
        return link.local() + " -> " + link.remote();
    }
}
