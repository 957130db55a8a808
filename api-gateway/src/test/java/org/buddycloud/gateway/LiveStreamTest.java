package org.buddycloud.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.buddycloud.testsupport.LocalInfrastructureOnly;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** Live updates through the gateway: SSE, WebSocket and the old long polls, fed by the channel server's events on Kafka. */
@QuarkusTest
@WithTestResource(GatewayTestStack.class)
@LocalInfrastructureOnly("starts the media and push servers against the local PostgreSQL and S3 endpoint")
class LiveStreamTest {

    private record Account(String username, String password, String jid, String token) {
    }

    @Test
    void sseAndWebSocketClientsReceiveAPostMadeOverRestAndOneMadeOverXmpp() throws Exception {
        Account juliet = account("juliet");
        Account romeo = account("romeo");
        follow(romeo, juliet);
        try (LiveClients.Sse sse = new LiveClients.Sse(url("/notifications/stream"), romeo.token(), null);
             LiveClients.Socket socket = new LiveClients.Socket(ws("/notifications/websocket?access_token=" + romeo.token()))) {
            assertEquals(200, sse.status);
            post(juliet, "by REST");
            XMPPTCPConnection xmpp = smack(juliet);
            try {
                PubSubManager.getInstanceFor(xmpp, JidCreate.bareFrom("channels.localhost"))
                        .getLeafNode("/user/" + juliet.jid() + "/posts")
                        .publish(new PayloadItem<>(null, new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'>"
                                + "<content type='text'>by XMPP</content></entry>")));
            } finally {
                xmpp.disconnect();
            }
            List<LiveClients.Event> overSse = List.of(sse.next("post"), sse.next("post"));
            List<LiveClients.Event> overSocket = List.of(socket.next("post"), socket.next("post"));
            assertEquals(List.of("by REST", "by XMPP"), LiveClients.contents(overSse));
            assertEquals(List.of("by REST", "by XMPP"), LiveClients.contents(overSocket));
            assertTrue(overSse.get(0).data().contains("\"source\":\"" + juliet.jid() + "/posts\""), overSse.get(0).data());
            assertTrue(overSse.get(0).data().contains("\"author\":\"" + juliet.jid() + "\""), overSse.get(0).data());
            assertEquals(overSse.get(1).id(), overSocket.get(1).id(), "one position, whichever transport");
        }
    }

    @Test
    void aStreamThatReconnectsGetsWhatItMissedOnceAndThenWhatComes() throws Exception {
        Account juliet = account("juliet");
        Account romeo = account("romeo");
        follow(romeo, juliet);
        String lastSeen;
        try (LiveClients.Sse first = new LiveClients.Sse(url("/notifications/stream"), romeo.token(), null)) {
            post(juliet, "one");
            lastSeen = first.next("post").id();
        }
        post(juliet, "two");
        post(juliet, "three");
        try (LiveClients.Sse again = new LiveClients.Sse(url("/notifications/stream"), romeo.token(), lastSeen);
             LiveClients.Socket socket = new LiveClients.Socket(ws("/notifications/websocket?since=" + lastSeen
                     + "&access_token=" + romeo.token()))) {
            post(juliet, "four");
            List<LiveClients.Event> received = new ArrayList<>();
            List<LiveClients.Event> overSocket = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                received.add(again.next("post"));
                overSocket.add(socket.next("post"));
            }
            assertEquals(List.of("two", "three", "four"), LiveClients.contents(received));
            assertEquals(List.of("two", "three", "four"), LiveClients.contents(overSocket));
            post(juliet, "five");
            assertEquals(List.of("five"), LiveClients.contents(List.of(again.next("post"))), "nothing twice, nothing between");
        }
    }

    @Test
    void aPrivatePostNeverReachesAStrangersStreamWhileTheOwnerHearsOfRequests() throws Exception {
        Account juliet = account("juliet");
        Account romeo = account("romeo");
        Account tybalt = account("tybalt");
        given().auth().oauth2(juliet.token()).contentType(ContentType.JSON).body(Map.of("access_model", "authorize"))
                .post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        try (LiveClients.Sse owner = new LiveClients.Sse(url("/notifications/stream"), juliet.token(), null);
             LiveClients.Sse stranger = new LiveClients.Sse(url("/notifications/stream"), tybalt.token(), null);
             LiveClients.Sse strangerWatching = new LiveClients.Sse(url("/notifications/stream?channel=" + juliet.jid()),
                     tybalt.token(), null);
             LiveClients.Sse anonymousWatching = new LiveClients.Sse(url("/notifications/stream?channel=" + juliet.jid()), null, null);
             LiveClients.Sse requester = new LiveClients.Sse(url("/notifications/stream"), romeo.token(), null)) {
            assertEquals(200, anonymousWatching.status);
            follow(romeo, juliet);
            LiveClients.Event request = owner.next("subscription");
            assertTrue(request.data().contains("\"jid\":\"" + romeo.jid() + "\"") && request.data().contains("\"subscription\":\"pending\""),
                    request.data());
            assertTrue(requester.next("subscription").data().contains("pending"));

            post(juliet, "for your eyes only");
            assertEquals(List.of("for your eyes only"), LiveClients.contents(List.of(owner.next("post"))));
            // the hub decided for every stream when it delivered to the owner; nothing may still arrive
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                    LiveClients.contents(new ArrayList<>(stranger.events)).isEmpty()
                            && LiveClients.contents(new ArrayList<>(strangerWatching.events)).isEmpty()
                            && LiveClients.contents(new ArrayList<>(anonymousWatching.events)).isEmpty()
                            && LiveClients.contents(new ArrayList<>(requester.events)).isEmpty());
        }
    }

    @Test
    void aRevokedTokenEndsItsStreamWithinSeconds() throws Exception {
        Account romeo = account("romeo");
        try (LiveClients.Sse sse = new LiveClients.Sse(url("/notifications/stream"), romeo.token(), null);
             LiveClients.Socket socket = new LiveClients.Socket(ws("/notifications/websocket?access_token=" + romeo.token()))) {
            given().contentType(ContentType.JSON).body(Map.of("token", romeo.token())).post("/auth/revoke").then().statusCode(200);
            assertTrue(sse.next("token-expired").data().contains("revoked"));
            await().atMost(Duration.ofSeconds(5)).until(sse.ended::get);
            assertEquals(4001, socket.closedWith.get(10, java.util.concurrent.TimeUnit.SECONDS));
        }
        given().get(url("/notifications/stream?access_token=" + romeo.token())).then().statusCode(401);
    }

    @Test
    void anonymousCallersMayOnlyWatchNamedChannels() {
        given().get("/notifications/stream").then().statusCode(401).contentType("application/problem+json");
        given().header("Last-Event-ID", "not a position").queryParam("channel", "juliet@localhost")
                .get("/notifications/stream").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theOldLongPollsAnswerWhatComesNext() throws Exception {
        Account juliet = account("juliet");
        Account romeo = account("romeo");
        follow(romeo, juliet);
        JsonPath first = given().auth().oauth2(romeo.token()).get("/notifications/posts").then().statusCode(200)
                .body("items", hasSize(0)).extract().jsonPath();
        CompletableFuture<JsonPath> waiting = CompletableFuture.supplyAsync(() -> given().auth().oauth2(romeo.token())
                .queryParam("since", first.getString("last")).get("/notifications/posts").then().statusCode(200).extract().jsonPath());
        // from a time just before: whether the poll is open before the post or not, the post is its answer
        String justBefore = java.time.Instant.now().minusSeconds(1).toString();
        CompletableFuture<String> nextOfJuliet = CompletableFuture.supplyAsync(() -> given().queryParam("since_time", justBefore)
                .get("/" + juliet.jid() + "/next/posts").then().statusCode(200).extract().asString());
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        post(juliet, "wait for it");
        JsonPath answer = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("wait for it", answer.getString("items[0].content"));
        assertEquals(juliet.jid() + "/posts", answer.getString("items[0].source"));
        assertTrue(nextOfJuliet.get(20, java.util.concurrent.TimeUnit.SECONDS).contains("wait for it"));
        // what came since is answered at once
        given().auth().oauth2(romeo.token()).queryParam("since", first.getString("last")).get("/notifications/posts")
                .then().statusCode(200).body("items.content", equalTo(List.of("wait for it")));
        given().get("/" + juliet.jid() + "/next/posts?since_post=no-such-post").then().statusCode(404);
    }

    private static Account account(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String jid = GatewayApiTest.register(username, password);
        return new Account(username, password, jid, GatewayApiTest.login(username, password));
    }

    private static void follow(Account follower, Account channel) {
        given().auth().oauth2(follower.token()).contentType(ContentType.JSON).body(Map.of(channel.jid() + "/posts", "subscribed"))
                .post("/subscribed").then().statusCode(200);
    }

    private static void post(Account author, String content) {
        given().auth().oauth2(author.token()).contentType(ContentType.JSON).body(Map.of("content", content))
                .post("/" + author.jid() + "/content/posts").then().statusCode(201);
    }

    private static XMPPTCPConnection smack(Account account) throws Exception {
        int port = ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_XMPP_PORT, Integer.class);
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost").setHost("127.0.0.1").setPort(port)
                .setUsernameAndPassword(account.username(), account.password())
                .setSecurityMode(SecurityMode.disabled).addEnabledSaslMechanism("SCRAM-SHA-1").setResource("smack").build());
        connection.setReplyTimeout(10_000);
        connection.connect().login();
        return connection;
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private static String ws(String path) {
        return URI.create("ws://127.0.0.1:" + port() + path).toString();
    }

    private static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class) == 0
                ? io.restassured.RestAssured.port : ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }
}
