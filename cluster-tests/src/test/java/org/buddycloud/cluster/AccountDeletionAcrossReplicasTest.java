package org.buddycloud.cluster;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An account deleted through one replica loses its session on the other within seconds; a bystander keeps his. */
@ExtendWith(ClusterExtension.class)
class AccountDeletionAcrossReplicasTest {

    private static final long WITHIN_SECONDS = 10;

    private final Cluster cluster;

    AccountDeletionAcrossReplicasTest(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void deletingHerAccountThroughReplicaOneEndsHerSessionOnReplicaTwo() throws Exception {
        Login juliet = cluster.replica(1).rest().newAccount("juliet");
        Login romeo = cluster.replica(1).rest().newAccount("romeo");
        XMPPTCPConnection julietClient = Xmpp.online(cluster, cluster.replica(2), juliet, "r2");
        XMPPTCPConnection bystander = Xmpp.online(cluster, cluster.replica(2), romeo, "r2");
        try {
            CompletableFuture<Exception> ended = new CompletableFuture<>();
            julietClient.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    ended.complete(e);
                }

                @Override
                public void connectionClosed() {
                    ended.complete(null);
                }
            });
            given().baseUri(cluster.replica(1).baseUrl()).auth().oauth2(juliet.accessToken()).delete("/account")
                    .then().statusCode(204);

            Exception error;
            try {
                error = ended.get(WITHIN_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("juliet's session on replica 2 outlived her account by " + WITHIN_SECONDS + " s", e);
            }
            StreamErrorException streamError = assertInstanceOf(StreamErrorException.class, error,
                    "her session ended with a stream error");
            assertEquals(StreamError.Condition.not_authorized, streamError.getStreamError().getCondition());
            Xmpp.handled(bystander);
            assertTrue(bystander.isAuthenticated(), "romeo, on the same replica, stays connected");
        } finally {
            Xmpp.disconnect(julietClient, bystander);
        }
    }
}
