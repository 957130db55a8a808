package org.buddycloud.cluster;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker is away for 30 s while posts are published through replica 1. Its own follower hears of each at once,
 * from the commit; the follower on replica 2, which hears only through Kafka, gets every acknowledged post once the
 * broker is back (the outbox kept them), and neither gets one twice.
 */
@ExtendWith(ClusterExtension.class)
class KafkaOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int POSTS_PER_SECOND = 10;
    /** "At once" for the follower on the replica that took the post, on two busy cores. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final Duration AFTER_THE_OUTAGE = Duration.ofSeconds(120);

    private final Cluster cluster;

    KafkaOutageTest(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void postsAcceptedWhileTheBrokerIsAwayReachTheFollowerOnTheOtherReplicaOnceWhenItReturns() throws Exception {
        Login author = cluster.replica(1).rest().newAccount("capulet");
        Login near = cluster.replica(1).rest().newAccount("nurse");
        Login far = cluster.replica(2).rest().newAccount("romeo");
        XMPPTCPConnection nearClient = Xmpp.channelsOnline(cluster, cluster.replica(1), near, "r1");
        XMPPTCPConnection farClient = Xmpp.channelsOnline(cluster, cluster.replica(2), far, "r2");
        boolean brokerDown = false;
        Poster poster = null;
        try {
            Xmpp.posts(nearClient, author).subscribe(Xmpp.bare(near));
            Xmpp.posts(farClient, author).subscribe(Xmpp.bare(far));
            ItemNotifications nearSees = new ItemNotifications(nearClient, Xmpp.postsNode(author));
            ItemNotifications farSees = new ItemNotifications(farClient, Xmpp.postsNode(author));
            // before the outage both paths work: the follower on replica 2 is reading from Kafka
            List<String> posted = new ArrayList<>(List.of(post(author, "before the outage")));
            farSees.assertEachOnce(posted, AFTER_THE_OUTAGE, "romeo, before the outage");

            cluster.kafka().stop();
            brokerDown = true;
            Poster publishing = Poster.start(cluster.replica(1), author, POSTS_PER_SECOND);
            poster = publishing;
            // the outage lasts OUTAGE; all along, whatever replica 1 acknowledged AT_ONCE ago has reached its own follower
            await().during(OUTAGE).atMost(OUTAGE.multipliedBy(2)).pollInterval(Duration.ofMillis(500))
                    .failFast("the follower on replica 1 waited for the broker",
                            () -> !nearSees.ids().containsAll(publishing.acknowledgedBefore(Instant.now().minus(AT_ONCE))))
                    .until(() -> true);
            cluster.kafka().start();
            brokerDown = false;
            // posts go on while the relay catches up (the commit path and Kafka meet again), then no more
            Instant back = Instant.now();
            await().atMost(AT_ONCE.multipliedBy(2))
                    .until(() -> publishing.acknowledged().size() > publishing.acknowledgedBefore(back).size());
            publishing.stop();
            posted.addAll(publishing.acknowledged());
            assertTrue(posted.size() > OUTAGE.toSeconds() * POSTS_PER_SECOND / 2,
                    "acknowledged only " + posted.size() + " of " + publishing.attempts() + " posts");

            nearSees.assertEachOnce(posted, AT_ONCE.multipliedBy(3), "the nurse, on replica 1");
            farSees.assertEachOnce(posted, AFTER_THE_OUTAGE, "romeo, on replica 2");
        } finally {
            if (poster != null) {
                poster.stop();
            }
            if (brokerDown) {
                cluster.kafka().start();
            }
            Xmpp.disconnect(nearClient, farClient);
        }
    }

    private String post(Login author, String content) {
        return given().baseUri(cluster.replica(1).baseUrl()).auth().oauth2(author.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("content", content)).post("/" + author.jid() + "/content/posts")
                .then().statusCode(201).extract().path("id");
    }
}
