package org.buddycloud.channels.xmpp.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.junit.jupiter.api.Test;

class RosterPushOrderTest {

    private final RosterPushOrder order = new RosterPushOrder();

    @Test
    void aStanzaThatIsNoMarkedPushPassesUntouched() {
        XmlElement message = XmlElement.of("message", Namespaces.CLIENT).attr("to", "juliet@capulet.lit/balcony");
        String before = message.toXml();
        assertSame(message, order.admit(message));
        assertEquals(before, message.toXml());
    }

    @Test
    void aPushReachesTheClientWithoutItsMark() {
        XmlElement admitted = order.admit(push("romeo@montague.lit", "to", 7));
        assertEquals("to", item(admitted).attr("subscription"));
        assertNull(admitted.attr(RosterPushOrder.MARK));
    }

    @Test
    void aPushOlderThanOneWrittenForTheSameContactIsDropped() {
        order.admit(push("romeo@montague.lit", "both", 9));
        assertNull(order.admit(push("romeo@montague.lit", "to", 8)), "the older state would undo the newer");
        assertEquals("none", item(order.admit(push("romeo@montague.lit", "none", 10))).attr("subscription"));
    }

    @Test
    void anotherContactsPushesAreTheirOwnLine() {
        order.admit(push("romeo@montague.lit", "both", 9));
        XmlElement other = order.admit(push("mercutio@montague.lit", "from", 3));
        assertEquals("mercutio@montague.lit", item(other).attr("jid"));
    }

    @Test
    void aMarkOnAStanzaSomeoneSentIsRemovedAndChangesNothing() {
        XmlElement forged = push("romeo@montague.lit", "remove", Long.MAX_VALUE).attr("from", "tybalt@capulet.lit/sword");
        XmlElement admitted = order.admit(forged);
        assertNull(admitted.attr(RosterPushOrder.MARK));
        assertEquals("both", item(order.admit(push("romeo@montague.lit", "both", 5))).attr("subscription"),
                "a forged mark must not hold back the server's pushes");
    }

    private static XmlElement push(String contact, String subscription, long changeOrder) {
        XmlElement iq = XmlElement.of("iq", Namespaces.CLIENT).attr("type", "set").attr("id", "push-1");
        iq.add("query", Namespaces.ROSTER).add("item", Namespaces.ROSTER).attr("jid", contact).attr("subscription", subscription);
        return RosterPushOrder.mark(iq, changeOrder);
    }

    private static XmlElement item(XmlElement push) {
        return push.element("query", Namespaces.ROSTER).orElseThrow().element("item", Namespaces.ROSTER).orElseThrow();
    }
}
