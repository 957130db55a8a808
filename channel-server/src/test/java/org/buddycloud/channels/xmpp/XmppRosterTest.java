package org.buddycloud.channels.xmpp;

import static org.awaitility.Awaitility.await;
import static org.buddycloud.channels.xmpp.ImTestSupport.WAIT;
import static org.buddycloud.channels.xmpp.ImTestSupport.bare;
import static org.buddycloud.channels.xmpp.ImTestSupport.befriend;
import static org.buddycloud.channels.xmpp.ImTestSupport.condition;
import static org.buddycloud.channels.xmpp.ImTestSupport.type;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;

/** Rosters, presence and blocking (RFC 6121, XEP-0191) with Smack's own roster and blocking managers. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppRosterTest {

    @Test
    void twoClientsThatSubscribeToEachOtherSeeEachOtherOnlineAndTheRosterOutlivesTheSessions() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            Roster.getInstanceFor(julietClient).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            Roster romeoRoster = Roster.getInstanceFor(romeoClient);
            romeoRoster.setSubscriptionMode(Roster.SubscriptionMode.manual);
            romeoRoster.createItemAndRequestSubscription(bare(juliet), "Juliet", new String[] {"Capulets"});
            await().atMost(WAIT).until(() -> type(romeoRoster, juliet) == ItemType.to);
            assertTrue(Roster.getInstanceFor(julietClient).getEntry(bare(romeo)) != null, "approving put romeo in juliet's roster");

            Roster.getInstanceFor(julietClient).createItemAndRequestSubscription(bare(romeo), "Romeo", null);
            // romeo approves by hand, as a person would
            romeoClient.sendStanza(presence(romeoClient, Presence.Type.subscribed, juliet));
            await().atMost(WAIT).until(() -> type(romeoRoster, juliet) == ItemType.both
                    && type(Roster.getInstanceFor(julietClient), romeo) == ItemType.both);
            await().atMost(WAIT).until(() -> romeoRoster.getPresence(bare(juliet)).isAvailable());
            await().atMost(WAIT).until(() -> Roster.getInstanceFor(julietClient).getPresence(bare(romeo)).isAvailable());
            RosterEntry entry = romeoRoster.getEntry(bare(juliet));
            assertEquals("Juliet", entry.getName());
            assertEquals(List.of("Capulets"), entry.getGroups().stream().map(g -> g.getName()).toList());

            julietClient.disconnect();
            await().atMost(WAIT).until(() -> !romeoRoster.getPresence(bare(juliet)).isAvailable());
        } finally {
            romeoClient.disconnect();
            julietClient.disconnect();
        }
        // new sessions read the stored rosters, and a login is told who is online
        XMPPTCPConnection julietAgain = smack(juliet);
        XMPPTCPConnection romeoAgain = smack(romeo);
        try {
            Roster roster = Roster.getInstanceFor(romeoAgain);
            roster.reloadAndWait();
            assertEquals(ItemType.both, type(roster, juliet));
            await().atMost(WAIT).until(() -> roster.getPresence(bare(juliet)).isAvailable());
            await().atMost(WAIT).until(() -> Roster.getInstanceFor(julietAgain).getPresence(bare(romeo)).isAvailable());
        } finally {
            romeoAgain.disconnect();
            julietAgain.disconnect();
        }
    }

    /**
     * Each has asked the other; then both approve at the same moment. The two approvals are handled on the two
     * sessions' threads and each changes both rosters, and a roster push leaves after its change commits, so the push
     * of the older state could arrive last and leave a client on "to" or "from". Many rounds, two pairs at a time;
     * every client must end up showing "both".
     */
    @Test
    void twoUsersApprovingEachOtherAtOnceBothEndSubscribedBothWays() throws Exception {
        ExecutorService approvers = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                List<Callable<Void>> pairs = new ArrayList<>();
                for (int pair = 0; pair < 2; pair++) {
                    String name = "round " + round + " pair " + pair;
                    pairs.add(() -> approveEachOtherAtOnce(name, approvers));
                }
                for (Future<Void> done : approvers.invokeAll(pairs)) {
                    done.get();
                }
            }
        } finally {
            approvers.shutdownNow();
        }
    }

    private static Void approveEachOtherAtOnce(String name, ExecutorService threads) throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            Roster romeoRoster = Roster.getInstanceFor(romeoClient);
            Roster julietRoster = Roster.getInstanceFor(julietClient);
            romeoRoster.setSubscriptionMode(Roster.SubscriptionMode.manual);
            julietRoster.setSubscriptionMode(Roster.SubscriptionMode.manual);
            romeoRoster.createItemAndRequestSubscription(bare(juliet), null, null);
            julietRoster.createItemAndRequestSubscription(bare(romeo), null, null);
            await().atMost(WAIT).until(() -> julietRoster.getEntry(bare(romeo)) != null && romeoRoster.getEntry(bare(juliet)) != null
                    && romeoRoster.getEntry(bare(juliet)).isSubscriptionPending() && julietRoster.getEntry(bare(romeo)).isSubscriptionPending());
            XmppTestSupport.ping(romeoClient);
            XmppTestSupport.ping(julietClient);
            CountDownLatch start = new CountDownLatch(1);
            Future<?> romeoApproves = threads.submit(() -> {
                start.await();
                romeoClient.sendStanza(presence(romeoClient, Presence.Type.subscribed, juliet));
                return null;
            });
            Future<?> julietApproves = threads.submit(() -> {
                start.await();
                julietClient.sendStanza(presence(julietClient, Presence.Type.subscribed, romeo));
                return null;
            });
            start.countDown();
            romeoApproves.get();
            julietApproves.get();
            await().atMost(WAIT).untilAsserted(() -> {
                assertEquals(ItemType.both, type(romeoRoster, juliet), "romeo's client, " + name);
                assertEquals(ItemType.both, type(julietRoster, romeo), "juliet's client, " + name);
            });
            return null;
        } finally {
            romeoClient.disconnect();
            julietClient.disconnect();
        }
    }

    /**
     * The bounce that took 615 stanzas: two clients that answer every request with an approval and
     * a request of their own, and every approval with a request. The server passes on only what
     * changes a subscription, so the exchange ends with both subscribed.
     */
    @Test
    void twoAutoAcceptingClientsStopAfterOneExchange() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smack(juliet);
        AtomicInteger seen = new AtomicInteger();
        try {
            for (XMPPTCPConnection client : List.of(romeoClient, julietClient)) {
                Roster.getInstanceFor(client).setSubscriptionMode(Roster.SubscriptionMode.manual);
                client.addAsyncStanzaListener(stanza -> {
                    Presence presence = (Presence) stanza;
                    seen.incrementAndGet();
                    if (presence.getType() == Presence.Type.subscribe) {
                        client.sendStanza(presence(client, Presence.Type.subscribed, presence.getFrom()));
                        client.sendStanza(presence(client, Presence.Type.subscribe, presence.getFrom()));
                    } else if (presence.getType() == Presence.Type.subscribed) {
                        client.sendStanza(presence(client, Presence.Type.subscribe, presence.getFrom()));
                    }
                }, stanza -> stanza instanceof Presence p && (p.getType() == Presence.Type.subscribe || p.getType() == Presence.Type.subscribed));
            }
            // each client's initial presence handled first (a session's input is handled in order, so the ping's
            // answer says so): a request that arrives while the initial presence is being handled is delivered live
            // and once more among the waiting requests a new resource is given (RFC 6121 §3.1.3) — a fifth stanza
            // that is no bounce, and made this test fail now and then
            XmppTestSupport.ping(romeoClient);
            XmppTestSupport.ping(julietClient);
            romeoClient.sendStanza(presence(romeoClient, Presence.Type.subscribe, juliet));
            await().atMost(WAIT).until(() -> type(Roster.getInstanceFor(romeoClient), juliet) == ItemType.both
                    && type(Roster.getInstanceFor(julietClient), romeo) == ItemType.both);
            // quiet from here on: nothing more arrives (a bounce would go on for thousands)
            int settled = seen.get();
            StanzaCollector more = julietClient.createStanzaCollector(stanza -> stanza instanceof Presence p
                    && (p.getType() == Presence.Type.subscribe || p.getType() == Presence.Type.subscribed));
            XmppTestSupport.ping(romeoClient);
            XmppTestSupport.ping(julietClient);
            assertNull(more.nextResult(1_000), "subscription stanzas still bounce");
            more.cancel();
            assertTrue(settled <= 4, "the clients were shown " + settled + " subscription stanzas");
        } finally {
            romeoClient.disconnect();
            julietClient.disconnect();
        }
    }

    @Test
    void removingAContactCancelsBothWays() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            befriend(romeoClient, romeo, julietClient, juliet);
            Roster romeoRoster = Roster.getInstanceFor(romeoClient);
            romeoRoster.removeEntry(romeoRoster.getEntry(bare(juliet)));
            Roster julietRoster = Roster.getInstanceFor(julietClient);
            await().atMost(WAIT).until(() -> type(julietRoster, romeo) == ItemType.none);
            await().atMost(WAIT).until(() -> !julietRoster.getPresence(bare(romeo)).isAvailable());
            assertNull(romeoRoster.getEntry(bare(juliet)));
        } finally {
            romeoClient.disconnect();
            julietClient.disconnect();
        }
    }

    @Test
    void aBlockedContactCannotWriteAndNoLongerSeesTheUserOnline() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            befriend(romeoClient, romeo, julietClient, juliet);
            BlockingCommandManager blocking = BlockingCommandManager.getInstanceFor(romeoClient);
            blocking.blockContacts(List.of(bare(juliet)));
            assertEquals(List.of(bare(juliet)), blocking.getBlockList());
            Roster julietRoster = Roster.getInstanceFor(julietClient);
            await().atMost(WAIT).until(() -> !julietRoster.getPresence(bare(romeo)).isAvailable());

            StanzaCollector romeoReads = romeoClient.createStanzaCollector(MessageTypeFilter.CHAT);
            ChatManager.getInstanceFor(julietClient).chatWith(bare(romeo).asEntityBareJidIfPossible()).send("Wherefore?");
            XmppTestSupport.ping(julietClient);
            assertNull(romeoReads.nextResult(500), "a blocked contact's message was delivered");

            StanzaCollector errors = romeoClient.createStanzaCollector(new AndFilter(MessageTypeFilter.ERROR,
                    FromMatchesFilter.createBare(bare(juliet))));
            ChatManager.getInstanceFor(romeoClient).chatWith(bare(juliet).asEntityBareJidIfPossible()).send("Farewell");
            Message refused = errors.nextResult(10_000);
            assertNotNull(refused, "writing to someone you block is refused");
            assertEquals(StanzaError.Condition.not_acceptable, refused.getError().getCondition());

            blocking.unblockContacts(List.of(bare(juliet)));
            await().atMost(WAIT).until(() -> julietRoster.getPresence(bare(romeo)).isAvailable());
            ChatManager.getInstanceFor(julietClient).chatWith(bare(romeo).asEntityBareJidIfPossible()).send("Again?");
            Message again = romeoReads.nextResult(10_000);
            assertNotNull(again, "unblocked, her messages arrive again");
            assertEquals("Again?", again.getBody());
        } finally {
            romeoClient.disconnect();
            julietClient.disconnect();
        }
    }

    @Test
    void badRosterSetsAreRefusedInWordsAndARequestToNobodyIsDenied() throws Exception {
        Login romeo = account("romeo");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            XmlElement two = client.iq("<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='a@localhost'/>"
                    + "<item jid='b@localhost'/></query></iq>");
            assertEquals("bad-request", condition(two));
            XmlElement twice = client.iq("<iq type='set' id='r2'><query xmlns='jabber:iq:roster'><item jid='a@localhost'>"
                    + "<group>x</group><group>x</group></item></query></iq>");
            assertEquals("bad-request", condition(twice));
            XmlElement malformed = client.iq("<iq type='set' id='r3'><query xmlns='jabber:iq:roster'><item jid='@@'/></query></iq>");
            assertEquals("bad-request", condition(malformed));
            XmlElement missing = client.iq("<iq type='set' id='r4'><query xmlns='jabber:iq:roster'><item jid='nobody@localhost'"
                    + " subscription='remove'/></query></iq>");
            assertEquals("item-not-found", condition(missing));

            client.send("<presence/>");
            client.send("<presence type='subscribe' to='nobody-" + System.nanoTime() + "@localhost'/>");
            XmlElement denied = client.expect(s -> s.name().equals("presence") && "unsubscribed".equals(s.attr("type")), WAIT);
            assertTrue(denied.attr("from").startsWith("nobody-"), "the refusal comes from the address asked");
            XmlElement roster = client.iq("<iq type='get' id='r5'><query xmlns='jabber:iq:roster'/></iq>");
            assertTrue(roster.toXml().contains("subscription=\"none\"") && !roster.toXml().contains("ask="),
                    "the refused request no longer waits: " + roster.toXml());
        }
    }

    private static Presence presence(XMPPTCPConnection client, Presence.Type type, Login to) {
        return presence(client, type, bare(to));
    }

    private static Presence presence(XMPPTCPConnection client, Presence.Type type, Jid to) {
        return client.getStanzaFactory().buildPresenceStanza().ofType(type).to(to.asBareJid()).build();
    }
}
