package org.buddycloud.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.PresenceTypeFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/** Contacts on different replicas: subscription requests reach the other replica once, and so does presence. */
@ExtendWith(ClusterExtension.class)
class PresenceAcrossReplicasTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long SECOND_COPY_MS = 2_000;

    private final Cluster cluster;

    PresenceAcrossReplicasTest(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void contactsOnDifferentReplicasSubscribeSeeEachOtherOnlineAndSeeHerLeave() throws Exception {
        Login romeo = cluster.replica(1).rest().newAccount("romeo");
        Login juliet = cluster.replica(1).rest().newAccount("juliet");
        XMPPTCPConnection romeoClient = Xmpp.online(cluster, cluster.replica(1), romeo, "r1");
        XMPPTCPConnection julietClient = Xmpp.online(cluster, cluster.replica(2), juliet, "r2");
        try {
            Roster romeoRoster = Roster.getInstanceFor(romeoClient);
            Roster julietRoster = Roster.getInstanceFor(julietClient);
            romeoRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            julietRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            StanzaCollector julietAsked = julietClient.createStanzaCollector(presence(PresenceTypeFilter.SUBSCRIBE, Xmpp.bare(romeo)));
            StanzaCollector romeoAsked = romeoClient.createStanzaCollector(presence(PresenceTypeFilter.SUBSCRIBE, Xmpp.bare(juliet)));

            romeoRoster.createItemAndRequestSubscription(Xmpp.bare(juliet), "Juliet", null);
            julietRoster.createItemAndRequestSubscription(Xmpp.bare(romeo), "Romeo", null);

            await().atMost(WAIT).untilAsserted(() -> {
                assertSubscription(ItemType.both, romeoRoster.getEntry(Xmpp.bare(juliet)), "romeo's roster entry of juliet");
                assertSubscription(ItemType.both, julietRoster.getEntry(Xmpp.bare(romeo)), "juliet's roster entry of romeo");
            });
            await().atMost(WAIT).until(() -> romeoRoster.getPresence(Xmpp.bare(juliet)).isAvailable());
            await().atMost(WAIT).until(() -> julietRoster.getPresence(Xmpp.bare(romeo)).isAvailable());
            assertNotNull(julietAsked.pollResult(), "juliet never saw romeo's request");
            assertNull(julietAsked.nextResult(SECOND_COPY_MS), "juliet was asked twice");
            assertNotNull(romeoAsked.pollResult(), "romeo never saw juliet's request");
            assertNull(romeoAsked.nextResult(SECOND_COPY_MS), "romeo was asked twice");

            Jid julietSession = julietClient.getUser();
            StanzaCollector julietLeft = romeoClient.createStanzaCollector(presence(PresenceTypeFilter.UNAVAILABLE, julietSession));
            julietClient.disconnect();
            await().atMost(WAIT).until(() -> !romeoRoster.getPresence(Xmpp.bare(juliet)).isAvailable());
            assertNotNull(julietLeft.pollResult(), "romeo saw juliet leave without her unavailable presence");
            assertNull(julietLeft.nextResult(SECOND_COPY_MS), "romeo was told twice that juliet left");
        } finally {
            Xmpp.disconnect(romeoClient, julietClient);
        }
    }

    /**
     * A roster over both replicas: the contacts' sessions on the other replica are asked for at once, and still each
     * contact resource hears a new resource of hers once, and she hears each of them and her own other resource.
     */
    @Test
    void aNewResourceAndHerContactsOnBothReplicasHearEachOtherOnce() throws Exception {
        Login alice = cluster.replica(1).rest().newAccount("alice");
        Login bob = cluster.replica(1).rest().newAccount("bob");
        Login carol = cluster.replica(1).rest().newAccount("carol");
        XMPPTCPConnection aliceHere = Xmpp.online(cluster, cluster.replica(2), alice, "first");
        XMPPTCPConnection bobClient = Xmpp.online(cluster, cluster.replica(1), bob, "b");
        XMPPTCPConnection carolClient = Xmpp.online(cluster, cluster.replica(2), carol, "c");
        XMPPTCPConnection aliceLate = null;
        try {
            Roster aliceRoster = Roster.getInstanceFor(aliceHere);
            aliceRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            for (XMPPTCPConnection contact : new XMPPTCPConnection[] {bobClient, carolClient}) {
                Roster.getInstanceFor(contact).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
                Roster.getInstanceFor(contact).createItemAndRequestSubscription(Xmpp.bare(alice), "Alice", null);
            }
            aliceRoster.createItemAndRequestSubscription(Xmpp.bare(bob), "Bob", null);
            aliceRoster.createItemAndRequestSubscription(Xmpp.bare(carol), "Carol", null);
            await().atMost(WAIT).untilAsserted(() -> {
                assertSubscription(ItemType.both, aliceRoster.getEntry(Xmpp.bare(bob)), "alice's roster entry of bob");
                assertSubscription(ItemType.both, aliceRoster.getEntry(Xmpp.bare(carol)), "alice's roster entry of carol");
            });

            XMPPTCPConnection late = Xmpp.connect(cluster, cluster.replica(1), alice, "late");
            aliceLate = late;
            Jid lateSession = JidCreate.from(alice.jid() + "/late");
            StanzaCollector bobHeard = bobClient.createStanzaCollector(presence(PresenceTypeFilter.AVAILABLE, lateSession));
            StanzaCollector carolHeard = carolClient.createStanzaCollector(presence(PresenceTypeFilter.AVAILABLE, lateSession));
            StanzaCollector firstHeard = aliceHere.createStanzaCollector(presence(PresenceTypeFilter.AVAILABLE, lateSession));
            StanzaCollector lateHeard = late.createStanzaCollector(PresenceTypeFilter.AVAILABLE);
            late.sendStanza(late.getStanzaFactory().buildPresenceStanza().build());
            Xmpp.handled(late);

            for (StanzaCollector heard : new StanzaCollector[] {bobHeard, carolHeard, firstHeard}) {
                assertNotNull(heard.nextResult(WAIT.toMillis()), "a resource on the roster never heard alice/late come online");
                assertNull(heard.nextResult(SECOND_COPY_MS), "a resource heard alice/late come online twice");
            }
            Set<String> seen = new HashSet<>();
            await().atMost(WAIT).untilAsserted(() -> {
                for (Presence presence = lateHeard.pollResult(); presence != null; presence = lateHeard.pollResult()) {
                    seen.add(presence.getFrom().toString());
                }
                assertTrue(seen.containsAll(Set.of(bob.jid() + "/b", carol.jid() + "/c", alice.jid() + "/first")),
                        "alice/late heard only " + seen);
            });
        } finally {
            Xmpp.disconnect(aliceHere, bobClient, carolClient, aliceLate);
        }
    }

    private static StanzaFilter presence(StanzaFilter type, Jid from) {
        return new AndFilter(type, FromMatchesFilter.create(from));
    }

    private static void assertSubscription(ItemType expected, RosterEntry entry, String what) {
        assertNotNull(entry, what + " is missing");
        if (entry.getType() != expected) {
            throw new AssertionError(what + " is " + entry.getType() + ", not " + expected);
        }
    }
}
