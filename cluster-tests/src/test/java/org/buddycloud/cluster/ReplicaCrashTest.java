package org.buddycloud.cluster;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replica 1 is killed (SIGKILL) while posts are published through it at 20 a second: every post it acknowledged
 * reaches the followers connected to replica 2, once. What replica 1 committed but had not yet relayed to Kafka waits
 * in the outbox, which replica 2's relay publishes once the dead replica's connections, and with them its hold on the
 * relay's lock, are gone.
 */
@ExtendWith(ClusterExtension.class)
class ReplicaCrashTest {

    private static final int POSTS_PER_SECOND = 20;
    /** Acknowledged posts before the kill: two seconds of steady posting, with the next request under way when it comes. */
    private static final int BEFORE_THE_KILL = 40;
    private static final Duration DELIVERY = Duration.ofSeconds(90);

    private final Cluster cluster;

    ReplicaCrashTest(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void everyPostAcknowledgedBeforeAReplicaDiesReachesTheFollowersOnTheOtherReplicaOnce() throws Exception {
        Login author = cluster.replica(1).rest().newAccount("capulet");
        Login nurse = cluster.replica(2).rest().newAccount("nurse");
        Login tybalt = cluster.replica(2).rest().newAccount("tybalt");
        XMPPTCPConnection nurseClient = Xmpp.channelsOnline(cluster, cluster.replica(2), nurse, "r2");
        XMPPTCPConnection tybaltClient = Xmpp.channelsOnline(cluster, cluster.replica(2), tybalt, "r2");
        boolean killed = false;
        try {
            Xmpp.posts(nurseClient, author).subscribe(Xmpp.bare(nurse));
            Xmpp.posts(tybaltClient, author).subscribe(Xmpp.bare(tybalt));
            ItemNotifications nurseSees = new ItemNotifications(nurseClient, Xmpp.postsNode(author));
            ItemNotifications tybaltSees = new ItemNotifications(tybaltClient, Xmpp.postsNode(author));

            Poster poster = Poster.start(cluster.replica(1), author, POSTS_PER_SECOND);
            List<String> acknowledged;
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> poster.acknowledged().size() >= BEFORE_THE_KILL);
                cluster.kill(1);
                killed = true;
            } finally {
                // the request under way at the kill fails (it may have been committed all the same), and no more are made
                poster.stop();
                acknowledged = poster.acknowledged();
            }
            assertTrue(acknowledged.size() >= BEFORE_THE_KILL, "acknowledged " + acknowledged.size() + " of " + poster.attempts()
                    + " posts (" + poster.failures() + " failed)");

            // both followers stayed connected to replica 2 throughout, so the notifications alone must bring every post:
            // there is nothing for them to catch up on with an items query
            nurseSees.assertEachOnce(acknowledged, DELIVERY, "the nurse");
            tybaltSees.assertEachOnce(acknowledged, DELIVERY, "tybalt");

            // the channel as replica 2 serves it holds each acknowledged post once, and every notified post is in it
            List<String> stored = given().baseUri(cluster.replica(2).baseUrl()).queryParam("max", 200)
                    .get("/" + author.jid() + "/content/posts").then().statusCode(200).extract().jsonPath().getList("id", String.class);
            Set<String> distinct = new HashSet<>(stored);
            assertEquals(stored.size(), distinct.size(), "a post was stored twice");
            assertTrue(distinct.containsAll(acknowledged), "an acknowledged post was lost from the channel");
            assertTrue(distinct.containsAll(nurseSees.ids()), "the nurse was notified of a post the channel does not hold");
            assertEquals(nurseSees.ids(), tybaltSees.ids(), "the two followers on one replica heard of different posts");
        } finally {
            Xmpp.disconnect(nurseClient, tybaltClient);
            if (killed) {
                // for the test classes after this one
                cluster.restart(1);
            }
        }
    }

    /**
     * The same, made certain: with the broker away, replica 1 acknowledges posts that its relay cannot publish, and
     * dies; only replica 2's relay can bring them to the follower once the broker is back.
     */
    @Test
    void postsADeadReplicaAcknowledgedButNeverRelayedAreRelayedByTheOther() throws Exception {
        Login author = cluster.replica(1).rest().newAccount("capulet");
        Login nurse = cluster.replica(2).rest().newAccount("nurse");
        XMPPTCPConnection nurseClient = Xmpp.channelsOnline(cluster, cluster.replica(2), nurse, "r2");
        boolean brokerDown = false;
        boolean killed = false;
        try {
            Xmpp.posts(nurseClient, author).subscribe(Xmpp.bare(nurse));
            ItemNotifications nurseSees = new ItemNotifications(nurseClient, Xmpp.postsNode(author));
            cluster.kafka().stop();
            brokerDown = true;
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                acknowledged.add(given().baseUri(cluster.replica(1).baseUrl()).auth().oauth2(author.accessToken())
                        .contentType(ContentType.JSON).body(Map.of("content", "unrelayed " + i))
                        .post("/" + author.jid() + "/content/posts").then().statusCode(201).extract().path("id"));
            }
            cluster.kill(1);
            killed = true;
            cluster.kafka().start();
            brokerDown = false;
            nurseSees.assertEachOnce(acknowledged, DELIVERY, "the nurse");
        } finally {
            if (brokerDown) {
                cluster.kafka().start();
            }
            Xmpp.disconnect(nurseClient);
            if (killed) {
                cluster.restart(1);
            }
        }
    }
}
