package org.buddycloud.channels.xmpp.stream;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * XEP-0352 client state indication for one session, with no network: while the client says it is inactive,
 * availability presence (only the latest per sender) and chat-state-only messages are held back; messages with a
 * body, IQs and everything else go out at once. Not thread-safe: {@link Outbound} guards it.
 */
final class ClientState {

    static final String NAMESPACE = "urn:xmpp:csi:0";
    static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";

    private final int maxHeld;
    private boolean inactive;
    /** Held stanzas in the order they are to go out; presence keyed by sender so that a newer one replaces an older one. */
    private LinkedHashMap<Object, XmlElement> held;

    ClientState(int maxHeld) {
        this.maxHeld = maxHeld;
    }

    boolean inactive() {
        return inactive;
    }

    void inactive(boolean inactive) {
        this.inactive = inactive;
    }

    /**
     * A stanza for the client: what is to be sent now, in order. Empty when it is held; everything held and the
     * stanza when holding it would go over the bound.
     */
    List<XmlElement> offer(XmlElement stanza) {
        if (!inactive) {
            return List.of(stanza);
        }
        Object key = holdKey(stanza);
        if (key == null) {
            if (isMessageWithBody(stanza)) {
                // the message says more than the typing notifications before it, which would only arrive after it
                dropChatStatesFrom(stanza.attr("from"));
            }
            return List.of(stanza);
        }
        if (held == null) {
            held = new LinkedHashMap<>();
        }
        held.remove(key);
        held.put(key, stanza);
        if (held.size() > maxHeld) {
            return release();
        }
        return List.of();
    }

    /** Everything held, in order; nothing is held afterwards. */
    List<XmlElement> release() {
        if (held == null) {
            return List.of();
        }
        List<XmlElement> all = new ArrayList<>(held.values());
        held = null;
        return all;
    }

    int heldCount() {
        return held == null ? 0 : held.size();
    }

    private static Object holdKey(XmlElement stanza) {
        String type = stanza.attr("type");
        if (stanza.name().equals("presence") && (type == null || type.equals("unavailable"))) {
            return new PresenceFrom(String.valueOf(stanza.attr("from")));
        }
        if (stanza.name().equals("message") && !"error".equals(type) && isChatStateOnly(stanza)) {
            return new Object();
        }
        return null;
    }

    private static boolean isChatStateOnly(XmlElement message) {
        List<XmlElement> children = message.elements();
        return !children.isEmpty() && children.stream().allMatch(child -> CHAT_STATES.equals(child.namespace()));
    }

    private static boolean isMessageWithBody(XmlElement stanza) {
        return stanza.name().equals("message") && stanza.element("body", stanza.namespace()).isPresent();
    }

    private void dropChatStatesFrom(String from) {
        if (held == null || from == null) {
            return;
        }
        for (Iterator<Map.Entry<Object, XmlElement>> entries = held.entrySet().iterator(); entries.hasNext(); ) {
            XmlElement kept = entries.next().getValue();
            if (kept.name().equals("message") && from.equals(kept.attr("from"))) {
                entries.remove();
            }
        }
    }

    private record PresenceFrom(String from) {
    }
}
