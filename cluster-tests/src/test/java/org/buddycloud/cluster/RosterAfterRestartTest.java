package org.buddycloud.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rosters live in the database, not in a replica: after the replica both users were on is killed outright and
 * started again, their rosters are as they left them, and presence flows between them as before.
 */
@ExtendWith(ClusterExtension.class)
class RosterAfterRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final Cluster cluster;

    RosterAfterRestartTest(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void aRosterSurvivesTheRestartOfItsServer() throws Exception {
        Login romeo = cluster.replica(2).rest().newAccount("romeo");
        Login juliet = cluster.replica(2).rest().newAccount("juliet");
        XMPPTCPConnection romeoClient = Xmpp.online(cluster, cluster.replica(1), romeo, "before");
        XMPPTCPConnection julietClient = Xmpp.online(cluster, cluster.replica(1), juliet, "before");
        try {
            Roster.getInstanceFor(julietClient).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            Roster romeoRoster = Roster.getInstanceFor(romeoClient);
            romeoRoster.createItemAndRequestSubscription(Xmpp.bare(juliet), "Juliet", new String[] {"Capulets"});
            await().atMost(WAIT).until(() -> type(romeoRoster.getEntry(Xmpp.bare(juliet))) == ItemType.to);
        } finally {
            Xmpp.disconnect(romeoClient, julietClient);
        }

        cluster.kill(1);
        cluster.restart(1);

        XMPPTCPConnection romeoAgain = Xmpp.online(cluster, cluster.replica(1), romeo, "after");
        XMPPTCPConnection julietAgain = Xmpp.online(cluster, cluster.replica(1), juliet, "after");
        try {
            Roster romeoRoster = Roster.getInstanceFor(romeoAgain);
            romeoRoster.reloadAndWait();
            RosterEntry entry = romeoRoster.getEntry(Xmpp.bare(juliet));
            assertNotNull(entry, "romeo's roster lost juliet in the restart");
            assertEquals(ItemType.to, entry.getType(), "romeo's subscription to juliet");
            assertEquals("Juliet", entry.getName());
            assertEquals(List.of("Capulets"), entry.getGroups().stream().map(group -> group.getName()).toList());
            Roster julietRoster = Roster.getInstanceFor(julietAgain);
            julietRoster.reloadAndWait();
            assertEquals(ItemType.from, type(julietRoster.getEntry(Xmpp.bare(romeo))), "juliet's side of the subscription");
            await().atMost(WAIT).until(() -> romeoRoster.getPresence(Xmpp.bare(juliet)).isAvailable());
        } finally {
            Xmpp.disconnect(romeoAgain, julietAgain);
        }
    }

    private static ItemType type(RosterEntry entry) {
        return entry == null ? null : entry.getType();
    }
}
