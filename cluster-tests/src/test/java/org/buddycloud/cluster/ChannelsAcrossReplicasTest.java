package org.buddycloud.cluster;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A follower on replica 1 of a channel its owner posts to through replica 2: one notification per post. */
@ExtendWith(ClusterExtension.class)
class ChannelsAcrossReplicasTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Cluster cluster;

    ChannelsAcrossReplicasTest(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void aFollowerOnOneReplicaIsNotifiedOnceOfEachPostMadeThroughTheOther() throws Exception {
        Login juliet = cluster.replica(2).rest().newAccount("juliet");
        Login romeo = cluster.replica(1).rest().newAccount("romeo");
        XMPPTCPConnection romeoClient = Xmpp.channelsOnline(cluster, cluster.replica(1), romeo, "r1");
        XMPPTCPConnection julietClient = Xmpp.online(cluster, cluster.replica(2), juliet, "r2");
        try {
            Subscription followed = Xmpp.posts(romeoClient, juliet).subscribe(Xmpp.bare(romeo));
            assertEquals(Subscription.State.subscribed, followed.getState());
            ItemNotifications romeoSees = new ItemNotifications(romeoClient, Xmpp.postsNode(juliet));

            List<String> posted = new ArrayList<>();
            for (String content : List.of("O Romeo, Romeo", "wherefore art thou", "Romeo?")) {
                posted.add(given().baseUri(cluster.replica(2).baseUrl()).auth().oauth2(juliet.accessToken())
                        .contentType(ContentType.JSON).body(Map.of("content", content))
                        .post("/" + juliet.jid() + "/content/posts").then().statusCode(201).extract().path("id"));
            }
            // and one over XMPP, through her session on replica 2
            String overXmpp = "over-xmpp-" + UUID.randomUUID();
            Xmpp.posts(julietClient, juliet).publish(new PayloadItem<>(overXmpp, new SimplePayload(
                    "<entry xmlns='http://www.w3.org/2005/Atom'><content type='text'>Deny thy father</content></entry>")));
            posted.add(overXmpp);

            romeoSees.assertEachOnce(posted, WAIT, "romeo");
            assertEquals(posted.size(), romeoSees.total(), "notifications of posts nobody made: " + romeoSees.ids());
        } finally {
            Xmpp.disconnect(romeoClient, julietClient);
        }
    }
}
