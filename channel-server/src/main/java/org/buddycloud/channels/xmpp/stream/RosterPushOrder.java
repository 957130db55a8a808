package org.buddycloud.channels.xmpp.stream;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Puts one session's roster pushes back in the order their changes committed. A push is sent after its change's
 * transaction, from whichever thread or replica made the change, so when both users of a pair act at once the push
 * of the older state can arrive after the newer one and leave the client on a stale item (RFC 6121 §2.1.6 has the
 * client take each push as the truth). Each push carries its change's place in line among the pair's changes
 * ({@link #MARK}); a push older than one already written for the same contact is dropped, since the client holds
 * the newer state. The mark never reaches the client. Used under the session's outbound monitor only.
 */
public final class RosterPushOrder {

    /** The attribute a server-made roster push carries between the roster and the session (never written out). */
    static final String MARK = "buddycloud-change-order";

    /** The last place in line written per contact; made at the first push, most sessions never get one. */
    private Map<String, Long> written;

    /**
     * The stanza to write, without the mark; null when it is a roster push older than one already written. Only a
     * server-made stanza (no {@code from}) is looked at: what a client sends arrives stamped with its sender.
     */
    XmlElement admit(XmlElement stanza) {
        String mark = stanza.attr(MARK);
        if (mark == null) {
            return stanza;
        }
        stanza.attr(MARK, null);
        Optional<String> contact = contact(stanza);
        if (stanza.attr("from") != null || contact.isEmpty()) {
            return stanza;
        }
        long order = Long.parseLong(mark);
        if (written == null) {
            written = new HashMap<>();
        }
        Long last = written.get(contact.get());
        if (last != null && last > order) {
            return null;
        }
        written.put(contact.get(), order);
        return stanza;
    }

    private static Optional<String> contact(XmlElement stanza) {
        return stanza.element("query", Namespaces.ROSTER).flatMap(query -> query.element("item", Namespaces.ROSTER))
                .map(item -> item.attr("jid"));
    }

    /** Marks a roster push with its change's place in line. */
    public static XmlElement mark(XmlElement push, long order) {
        return push.attr(MARK, order);
    }
}
