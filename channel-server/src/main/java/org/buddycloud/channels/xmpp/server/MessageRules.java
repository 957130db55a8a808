package org.buddycloud.channels.xmpp.server;

import java.util.function.Predicate;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Which one-to-one messages are archived (XEP-0313), which are copied to the other clients of an account
 * (XEP-0280 §6), and what a client may not put in a message: a stanza id in our name (XEP-0359 §5), a carbon
 * (XEP-0280 §11) — both are the server's to write — and the {@code <private/>} instruction meant for the server.
 */
final class MessageRules {

    private MessageRules() {
    }

    /**
     * A {@code chat} message, or a {@code normal} one with a body, unless the sender asked for it not to be stored
     * (XEP-0334 {@code no-store}, {@code no-permanent-store}). A chat message that only says someone is typing
     * (XEP-0085 chat states and hints alone) is not worth keeping.
     */
    static boolean archivable(XmlElement message) {
        if (hint(message, "no-store") || hint(message, "no-permanent-store")) {
            return false;
        }
        String type = type(message);
        if (type.equals("normal")) {
            return hasBody(message);
        }
        return type.equals("chat") && (hasBody(message) || !message.elements().stream()
                .allMatch(e -> e.namespace().equals(Namespaces.CHAT_STATES) || e.namespace().equals(Namespaces.HINTS)));
    }

    /** XEP-0280 §6: chat, or normal with a body, unless marked {@code <private/>} or {@code <no-copy/>}. */
    static boolean copiedToOtherClients(XmlElement message) {
        if (message.element("private", Namespaces.CARBONS).isPresent() || hint(message, "no-copy")) {
            return false;
        }
        String type = type(message);
        return type.equals("chat") || (type.equals("normal") && hasBody(message));
    }

    /**
     * The message as it goes on from a client: without stanza ids claiming to be by one of {@code ours} (our users and
     * domain), without carbons (only the server sends them, from the account's bare JID), without {@code <private/>}.
     */
    static XmlElement cleaned(XmlElement message, Predicate<Jid> ours) {
        return without(message, child -> child.is("sent", Namespaces.CARBONS) || child.is("received", Namespaces.CARBONS)
                || child.is("private", Namespaces.CARBONS)
                || (child.is("stanza-id", Namespaces.STANZA_ID) && claimsToBeBy(child, ours)));
    }

    /** A shallow copy of the element without the children that match; text directly inside (whitespace in a stanza) is dropped. */
    static XmlElement without(XmlElement element, Predicate<XmlElement> dropped) {
        XmlElement copy = XmlElement.of(element.name(), element.namespace());
        element.attributes().forEach(copy::attr);
        element.elements().stream().filter(dropped.negate()).forEach(copy::append);
        return copy;
    }

    private static boolean claimsToBeBy(XmlElement stanzaId, Predicate<Jid> ours) {
        String by = stanzaId.attr("by");
        if (by == null) {
            return true;
        }
        try {
            return ours.test(Jid.parse(by));
        } catch (InvalidJidException e) {
            return true;
        }
    }

    private static String type(XmlElement message) {
        String type = message.attr("type");
        return type == null ? "normal" : type;
    }

    private static boolean hasBody(XmlElement message) {
        return message.element("body", message.namespace()).isPresent();
    }

    private static boolean hint(XmlElement message, String name) {
        return message.element(name, Namespaces.HINTS).isPresent();
    }
}
