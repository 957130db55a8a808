package org.buddycloud.channels.xmpp.stream;

import java.util.Optional;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;

/**
 * Resource binding (RFC 6120 §7), the step between authentication and stanzas: the resource the client asks for, or
 * one the registry makes up. Session establishment (RFC 3921 §3) is offered as optional for the clients that still
 * send it; the server answers their {@code <session/>} once they are bound.
 */
final class ResourceBinding {

    private final SessionRegistry registry;

    ResourceBinding(SessionRegistry registry) {
        this.registry = registry;
    }

    /** Binding and session establishment, for the stream features after authentication. */
    static void offer(XmlElement features) {
        features.add("bind", Namespaces.BIND);
        features.add("session", Namespaces.SESSION).add("optional");
    }

    /**
     * The client's first stanza after authentication, which must be a request to bind: the full JID bound, or empty
     * when the resource was refused (the client was told and may ask again).
     */
    Optional<Jid> bind(ClientSession session, Jid user, XmlElement stanza) throws XmppStreamException {
        Optional<XmlElement> bind = stanza.is("iq", Namespaces.CLIENT) && "set".equals(stanza.attr("type"))
                ? stanza.element("bind", Namespaces.BIND) : Optional.empty();
        if (bind.isEmpty()) {
            throw new XmppStreamException("not-authorized", "bind a resource first");
        }
        String resource = bind.get().childText("resource", Namespaces.BIND).orElse(null);
        Jid full;
        try {
            full = registry.bind(session, user, resource);
        } catch (RuntimeException e) {
            session.send(Stanzas.error(stanza, "modify", "bad-request", "invalid resource", null));
            return Optional.empty();
        }
        return Optional.of(full);
    }

    /** The answer to the request once the session is bound to {@code full}. */
    static XmlElement bound(XmlElement request, Jid full) {
        XmlElement result = Stanzas.result(request).attr("to", null).attr("from", null);
        result.add("bind", Namespaces.BIND).addText("jid", full.toString());
        return result;
    }
}
