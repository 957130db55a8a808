package org.buddycloud.channels.xmpp.s2s;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.s2s.S2sNamespaces;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * Another server's stream to us, receiving side (RFC 6120, XEP-0220). TLS comes first (when required); then the
 * remote claims a domain with {@code <db:result/>}, which we believe only after that domain's authoritative server,
 * asked over our own stream to it, vouched for the key. One stream may prove several domains. Stanzas are taken only
 * from a proved domain ({@code invalid-from} otherwise) to a name we host ({@code host-unknown}); we also answer the
 * questions of servers checking keys we made ({@code <db:verify/>}), before anything is proved, as they must be.
 */
final class IncomingS2sStream extends S2sConnection {

    private static final Logger LOG = Logger.getLogger(IncomingS2sStream.class);

    private final S2sLinks links;
    private final ServerRouter router;
    private final boolean tlsRequired;
    private final int maxPendingVerifications;
    /** New with every stream header (RFC 6120 §5.4.3.3, §6.4.6): claims keep the id they were made on. */
    private String streamId = UUID.randomUUID().toString();
    private final Set<String> proved = ConcurrentHashMap.newKeySet();
    private int pendingVerifications;
    private String hostedName;
    private String claimedPeer;
    /** The peer proved its domain with its certificate (SASL EXTERNAL): the restarted stream needs nothing more. */
    private boolean certified;

    IncomingS2sStream(NetSocket socket, Context eventLoop, Executor pool, S2sConfig config, S2sLinks links, ServerRouter router) {
        super(socket, eventLoop, pool, config);
        this.links = links;
        this.router = router;
        this.tlsRequired = config.tlsRequired();
        this.maxPendingVerifications = config.maxPendingVerifications();
    }

    @Override
    public void streamOpened(XmlElement header) throws XmppStreamException {
        if (!header.is("stream", Namespaces.STREAMS)) {
            throw new XmppStreamException("invalid-namespace", "not an XMPP stream");
        }
        String to = domainName(header.attr("to"));
        if (to == null || !links.hosts(to)) {
            throw new XmppStreamException("host-unknown", "this server does not serve " + header.attr("to"));
        }
        String from = domainName(header.attr("from"));
        if (from != null && links.hosts(from)) {
            throw new XmppStreamException("undefined-condition", from + " is served here; a remote server cannot be it");
        }
        if (certified && (!to.equals(hostedName) || !claimedPeer.equals(from))) {
            throw new XmppStreamException("improper-addressing", "the restarted stream names other servers");
        }
        streamId = UUID.randomUUID().toString();
        hostedName = to;
        claimedPeer = from;
        sendOwnHeader();
        write(certified ? XmlElement.of("features", Namespaces.STREAMS).toXml() : features());
    }

    @Override
    protected void sendOwnHeader() {
        sendHeader(hostedName, claimedPeer, streamId);
    }

    /** Before TLS only STARTTLS when it is required (RFC 6120 §5.3.1); dialback once the stream may use it. */
    private String features() {
        XmlElement features = XmlElement.of("features", Namespaces.STREAMS);
        if (!encrypted()) {
            XmlElement starttls = features.add("starttls", Namespaces.TLS);
            if (tlsRequired) {
                starttls.add("required");
                return features.toXml();
            }
        }
        if (links.certificateProves(socket, claimedPeer)) {
            // XEP-0178: offered only to a peer whose certificate names the domain its header claims
            features.add("mechanisms", Namespaces.SASL).add("mechanism").text("EXTERNAL");
        }
        features.add("dialback", S2sNamespaces.DIALBACK_FEATURE).add("errors");
        return features.toXml();
    }

    @Override
    public void stanza(XmlElement element) throws XmppStreamException {
        if (endedByPeer(element)) {
            return;
        }
        if (element.is("starttls", Namespaces.TLS)) {
            startTls();
        } else if (element.is("auth", Namespaces.SASL)) {
            external(element);
        } else if (DialbackElements.isResult(element) && element.attr("type") == null) {
            claim(element);
        } else if (DialbackElements.isVerify(element) && element.attr("type") == null) {
            answerVerify(element);
        } else if (S2sNamespaces.SERVER.equals(element.namespace())
                && (element.name().equals("iq") || element.name().equals("message") || element.name().equals("presence"))) {
            fromRemote(element);
        } else {
            throw new XmppStreamException("unsupported-stanza-type", "not a stanza of a server stream: " + element.name());
        }
    }

    private void startTls() throws XmppStreamException {
        if (encrypted()) {
            throw new XmppStreamException("policy-violation", "TLS is already in place");
        }
        upgradeToTls("<proceed xmlns='" + Namespaces.TLS + "'/>", null, failure -> {
            if (failure != null) {
                streamError("undefined-condition", "TLS failed");
            }
        });
    }

    private void requireTls() throws XmppStreamException {
        if (tlsRequired && !encrypted()) {
            throw new XmppStreamException("policy-violation", "start TLS first");
        }
    }

    /**
     * XEP-0178: the peer proves the domain of its stream header with its certificate. A refusal leaves the stream open:
     * the peer may still prove itself by dialback.
     */
    private void external(XmlElement auth) throws XmppStreamException {
        requireTls();
        String authzid = decoded(auth.text());
        boolean forTheHeader = authzid != null && (authzid.isEmpty() || authzid.equals("=") || authzid.equals(claimedPeer));
        if (!"EXTERNAL".equals(auth.attr("mechanism")) || certified || !forTheHeader || !links.certificateProves(socket, claimedPeer)) {
            write(XmlElement.of("failure", Namespaces.SASL).append(XmlElement.of("not-authorized", Namespaces.SASL)).toXml());
            links.refused(String.valueOf(claimedPeer), "EXTERNAL");
            return;
        }
        certified = true;
        proved.add(claimedPeer);
        links.proved(claimedPeer, "EXTERNAL");
        LOG.infof("s2s stream from %s (%s) proved itself with its certificate", claimedPeer, remoteAddress());
        parser.restart();
        write(XmlElement.of("success", Namespaces.SASL).toXml());
    }

    private static String decoded(String base64) {
        String text = base64 == null ? "" : base64.trim();
        if (text.isEmpty() || text.equals("=")) {
            return text;
        }
        try {
            return new String(java.util.Base64.getDecoder().decode(text), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** XEP-0220 §2.1.2: the remote says it is {@code from}; its authoritative server is asked. */
    private void claim(XmlElement result) throws XmppStreamException {
        requireTls();
        String from = domainName(result.attr("from"));
        String to = domainName(result.attr("to"));
        if (to == null || !links.hosts(to)) {
            throw new XmppStreamException("host-unknown", "this server does not serve " + result.attr("to"));
        }
        if (from == null || links.hosts(from)) {
            throw new XmppStreamException("invalid-from", "a remote server cannot be " + result.attr("from"));
        }
        if (pendingVerifications >= maxPendingVerifications) {
            throw new XmppStreamException("policy-violation", "too many claims wait for their verification");
        }
        pendingVerifications++;
        String claimedOn = streamId;
        links.verify(to, from, claimedOn, result.text()).whenComplete((valid, failure) -> executor.execute(() -> {
            pendingVerifications--;
            verdict(to, from, Boolean.TRUE.equals(valid) && failure == null);
        }));
    }

    private void verdict(String to, String from, boolean valid) {
        if (isClosed()) {
            return;
        }
        write(DialbackElements.resultVerdict(to, from, valid ? "valid" : "invalid"));
        if (valid) {
            proved.add(from);
            links.proved(from, "dialback");
            LOG.infof("s2s stream from %s (%s) proved itself by dialback", from, remoteAddress());
        } else {
            links.refused(from, "dialback");
            streamError("not-authorized", from + " did not vouch for this stream");
        }
    }

    /** XEP-0220 §2.1.3: a server asks whether a key it was given is one we made; the answer is ours to give. */
    private void answerVerify(XmlElement verify) throws XmppStreamException {
        String asker = domainName(verify.attr("from"));
        String us = domainName(verify.attr("to"));
        String id = verify.attr("id");
        if (us == null || !links.hosts(us)) {
            throw new XmppStreamException("host-unknown", "this server does not serve " + verify.attr("to"));
        }
        if (asker == null || id == null) {
            throw new XmppStreamException("improper-addressing", "db:verify needs from, to and id");
        }
        boolean valid = links.keys().verify(asker, us, id, verify.text());
        write(DialbackElements.verifyAnswer(us, asker, id, valid));
    }

    private void fromRemote(XmlElement stanza) throws XmppStreamException {
        Jid from = jid(stanza.attr("from"));
        if (from == null || !proved.contains(from.domain())) {
            if (proved.isEmpty()) {
                throw new XmppStreamException("not-authorized", "prove your domain first");
            }
            throw new XmppStreamException("invalid-from", "'" + stanza.attr("from") + "' is not of a domain this stream proved");
        }
        XmlElement asClient = stanza.stanzaInNamespace(S2sNamespaces.SERVER, Namespaces.CLIENT);
        Jid to = jid(stanza.attr("to"));
        if (to == null || !links.hosts(to.domain())) {
            if (!"error".equals(stanza.attr("type"))) {
                links.sink().send(Stanzas.error(asClient, "cancel", "item-not-found", "no such address here", null));
            }
            return;
        }
        router.routeFromServer(links.sink(), asClient);
    }

    /** A stream that proved no domain within the set-up time ends: idle unauthenticated streams cost us and prove nothing. */
    void closeIfUnproved() {
        if (proved.isEmpty() && !isClosed()) {
            close("connection-timeout", "no domain proved in time");
        }
    }

    @Override
    protected void released() {
        links.incomingEnded(this);
    }

    @Override
    protected String describe() {
        return (claimedPeer == null ? remoteAddress() : claimedPeer) + " -> " + hostedName;
    }

    private static Jid jid(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Jid.parse(value);
        } catch (InvalidJidException e) {
            return null;
        }
    }

    /** A bare domain name, or null when the value is none. */
    private static String domainName(String value) {
        Jid jid = jid(value == null ? null : value.trim());
        return jid != null && jid.localpart().isEmpty() && jid.resource().isEmpty() ? jid.domain() : null;
    }
}
