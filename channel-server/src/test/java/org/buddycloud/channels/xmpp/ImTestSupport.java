package org.buddycloud.channels.xmpp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** What the instant-messaging tests share: contacts made with Smack's roster, addresses, error conditions. */
final class ImTestSupport {

    static final Duration WAIT = Duration.ofSeconds(10);

    private ImTestSupport() {
    }

    /** Two online clients that approve each other's requests become contacts both ways and see each other online. */
    static void befriend(XMPPTCPConnection oneClient, Login one, XMPPTCPConnection otherClient, Login other) throws Exception {
        Roster.getInstanceFor(otherClient).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        Roster.getInstanceFor(oneClient).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        Roster.getInstanceFor(oneClient).createItemAndRequestSubscription(bare(other), null, null);
        Roster.getInstanceFor(otherClient).createItemAndRequestSubscription(bare(one), null, null);
        await().atMost(WAIT).until(() -> type(Roster.getInstanceFor(oneClient), other) == ItemType.both
                && type(Roster.getInstanceFor(otherClient), one) == ItemType.both);
        await().atMost(WAIT).until(() -> Roster.getInstanceFor(otherClient).getPresence(bare(one)).isAvailable()
                && Roster.getInstanceFor(oneClient).getPresence(bare(other)).isAvailable());
    }

    /** The subscription the roster shows for the contact; null when the contact is not in it. */
    static ItemType type(Roster roster, Login contact) {
        RosterEntry entry = roster.getEntry(bare(contact));
        return entry == null ? null : entry.getType();
    }

    static EntityBareJid bare(Login login) {
        try {
            return JidCreate.entityBareFrom(login.jid());
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The stanza error condition of an error reply (failing when the reply is not an error). */
    static String condition(XmlElement reply) {
        assertEquals("error", reply.attr("type"), reply.toXml());
        return reply.element("error", "jabber:client").orElseThrow().elements().stream()
                .filter(e -> e.namespace().equals("urn:ietf:params:xml:ns:xmpp-stanzas") && !e.name().equals("text"))
                .findFirst().orElseThrow().name();
    }
}
