package org.buddycloud.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.PresenceTypeFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.Jid;

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
