package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** XEP-0070 through the internal API: a service asks, the user's client accepts, denies or stays silent. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppConfirmationTest {

    private static final String SECRET = "test-internal-secret";
    private static final String HTTP_AUTH = "http://jabber.org/protocol/http-auth";

    private static CompletableFuture<Response> ask(Map<String, Object> request) {
        return CompletableFuture.supplyAsync(() -> given().header("X-Buddycloud-Internal-Secret", SECRET)
                .contentType(ContentType.JSON).body(request).post("/internal/confirm"));
    }

    private static Map<String, Object> request(String jid, String transaction, int timeoutSeconds) {
        Map<String, Object> request = new HashMap<>();
        request.put("jid", jid);
        request.put("method", "GET");
        request.put("url", "https://media.example.com/juliet@localhost/avatar");
        request.put("transaction", transaction);
        request.put("timeoutSeconds", timeoutSeconds);
        return request;
    }

    private static RawClient online(Login login) throws Exception {
        RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", login.username(), login.password());
        client.send("<presence/>");
        client.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        return client;
    }

    @Test
    void theUsersClientAcceptsOrDenies() throws Exception {
        Login juliet = account("juliet");
        try (RawClient client = online(juliet)) {
            CompletableFuture<Response> accepted = ask(request(juliet.jid(), "tx-accept", 30));
            XmlElement confirm = client.expect(m -> m.element("confirm", HTTP_AUTH).isPresent(), Duration.ofSeconds(10));
            assertEquals(CHANNELS, confirm.attr("from"));
            XmlElement asked = confirm.element("confirm", HTTP_AUTH).orElseThrow();
            assertEquals("tx-accept", asked.attr("id"));
            assertEquals("GET", asked.attr("method"));
            client.send("<message to='" + CHANNELS + "' id='" + confirm.attr("id") + "'>" + asked.toXml() + "</message>");
            accepted.get(10, TimeUnit.SECONDS).then().statusCode(200).body("outcome", equalTo("accepted"))
                    .body("transaction", equalTo("tx-accept"));

            CompletableFuture<Response> denied = ask(request(juliet.jid(), "tx-deny", 30));
            XmlElement second = client.expect(m -> m.element("confirm", HTTP_AUTH).isPresent(), Duration.ofSeconds(10));
            client.send("<message type='error' to='" + CHANNELS + "' id='" + second.attr("id") + "'>"
                    + second.element("confirm", HTTP_AUTH).orElseThrow().toXml()
                    + "<error type='auth'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
            denied.get(10, TimeUnit.SECONDS).then().statusCode(200).body("outcome", equalTo("denied"));
        }
    }

    @Test
    void silenceTimesOutAndAnOfflineUserIsNotConnected() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        try (RawClient client = online(juliet)) {
            ask(request(juliet.jid(), null, 1)).get(10, TimeUnit.SECONDS).then().statusCode(200).body("outcome", equalTo("timeout"));
            client.expect(m -> m.element("confirm", HTTP_AUTH).isPresent(), Duration.ofSeconds(5));
        }
        ask(request(romeo.jid(), null, 5)).get(10, TimeUnit.SECONDS).then().statusCode(200).body("outcome", equalTo("not_connected"));
    }

    @Test
    void onlyServicesWithTheSecretAskAndBadRequestsAreRefused() throws Exception {
        Login juliet = account("juliet");
        given().contentType(ContentType.JSON).body(request(juliet.jid(), null, 5)).post("/internal/confirm")
                .then().statusCode(403).contentType("application/problem+json");
        given().header("X-Buddycloud-Internal-Secret", "guess").contentType(ContentType.JSON).body(request(juliet.jid(), null, 5))
                .post("/internal/confirm").then().statusCode(403);
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(request(juliet.jid(), null, 5))
                .post("/internal/confirm").then().statusCode(403);
        for (Map.Entry<String, Object> bad : Map.<String, Object>of("jid", "not a jid", "method", "BREW", "url", "file:///etc/passwd",
                "timeoutSeconds", 0, "transaction", "<script>").entrySet()) {
            Map<String, Object> request = request(juliet.jid(), null, 5);
            request.put(bad.getKey(), bad.getValue());
            ask(request).get(10, TimeUnit.SECONDS).then().statusCode(400).contentType("application/problem+json");
        }
    }
}
