package org.buddycloud.cluster;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaExtensionFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0070 across replicas: a service asks replica 1 whether juliet made a request, her client is connected to
 * replica 2; she is asked there (once), and replica 1 hears her answer.
 */
@ExtendWith(ClusterExtension.class)
class ConfirmationAcrossReplicasTest {

    private static final String HTTP_AUTH = "http://jabber.org/protocol/http-auth";
    private static final long WAIT_MS = 15_000;
    private static final long SECOND_COPY_MS = 2_000;

    private final Cluster cluster;

    ConfirmationAcrossReplicasTest(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void herClientOnTheOtherReplicaIsAskedAndItsAcceptanceOrDenialIsHeard() throws Exception {
        Login juliet = cluster.replica(1).rest().newAccount("juliet");
        XMPPTCPConnection julietClient = Xmpp.online(cluster, cluster.replica(2), juliet, "r2");
        try {
            StanzaCollector asked = julietClient.createStanzaCollector(new StanzaExtensionFilter("confirm", HTTP_AUTH));

            CompletableFuture<Response> accepting = ask(juliet, "tx-accept");
            Message first = asked.nextResult(WAIT_MS);
            assertNotNull(first, "juliet's client on replica 2 was not asked to confirm; replica 1 answered " + answered(accepting));
            assertEquals(Cluster.CHANNELS, first.getFrom().toString());
            StandardExtensionElement confirm = confirm(first);
            assertEquals("tx-accept", confirm.getAttributeValue("id"));
            assertNull(asked.nextResult(SECOND_COPY_MS), "juliet was asked twice");
            answer(julietClient, first, confirm, null);
            accepting.get(WAIT_MS, TimeUnit.MILLISECONDS).then().statusCode(200)
                    .body("outcome", equalTo("accepted")).body("transaction", equalTo("tx-accept"));

            CompletableFuture<Response> denying = ask(juliet, "tx-deny");
            Message second = asked.nextResult(WAIT_MS);
            assertNotNull(second, "juliet's client on replica 2 was not asked the second time; replica 1 answered " + answered(denying));
            answer(julietClient, second, confirm(second),
                    StanzaError.getBuilder(StanzaError.Condition.not_authorized).setType(StanzaError.Type.AUTH).build());
            denying.get(WAIT_MS, TimeUnit.MILLISECONDS).then().statusCode(200).body("outcome", equalTo("denied"));
        } finally {
            Xmpp.disconnect(julietClient);
        }
    }

    /** What a service does: asks replica 1, which answers once the user did or the time is up. */
    private CompletableFuture<Response> ask(Login user, String transaction) {
        String replicaOne = cluster.replica(1).baseUrl();
        return CompletableFuture.supplyAsync(() -> given().baseUri(replicaOne)
                .header("X-Buddycloud-Internal-Secret", Cluster.INTERNAL_SECRET).contentType(ContentType.JSON)
                .body(Map.of("jid", user.jid(), "method", "GET", "url", "https://media.example.com/" + user.jid() + "/avatar",
                        "transaction", transaction, "timeoutSeconds", 10))
                .post("/internal/confirm"));
    }

    private static StandardExtensionElement confirm(Message request) {
        return (StandardExtensionElement) request.getExtensionElement("confirm", HTTP_AUTH);
    }

    /** What replica 1 told the asking service so far, for a failure's message. */
    private static String answered(CompletableFuture<Response> asking) {
        return asking.isDone() && !asking.isCompletedExceptionally() ? asking.join().asString() : "nothing yet";
    }

    /** XEP-0070 §4.2: the confirm element sent back under the request's id; with an error, a denial. */
    private static void answer(XMPPTCPConnection client, Message request, StandardExtensionElement confirm, StanzaError denial)
            throws Exception {
        var reply = StanzaBuilder.buildMessage(request.getStanzaId()).to(JidCreate.bareFrom(Cluster.CHANNELS))
                .addExtension(confirm);
        if (denial != null) {
            reply.ofType(Message.Type.error).setError(denial);
        }
        client.sendStanza(reply.build());
    }
}
