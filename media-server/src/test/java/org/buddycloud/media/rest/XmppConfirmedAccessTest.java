package org.buddycloud.media.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.buddycloud.media.rest.MediaTestSupport.account;
import static org.buddycloud.media.rest.MediaTestSupport.bytes;
import static org.buddycloud.media.rest.MediaTestSupport.channelServer;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.S3TestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.buddycloud.testsupport.XmppSocketClient;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A client that holds only an XMPP session reads a private channel's file as in the original media server: it names its
 * full JID and a transaction id, and its XMPP client confirms the request (XEP-0070) through the real channel server.
 */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppConfirmedAccessTest {

    private static final String HTTP_AUTH = "http://jabber.org/protocol/http-auth";
    private static final Pattern CONFIRM = Pattern.compile("<confirm[^>]*/>|<confirm[^>]*>.*?</confirm>", Pattern.DOTALL);
    private static final Pattern MESSAGE_ID = Pattern.compile("<message[^>]*\\sid=['\"]([^'\"]+)['\"]");

    private static XmppSocketClient online(Login login) throws Exception {
        int port = ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_XMPP_PORT, Integer.class);
        XmppSocketClient xmpp = XmppSocketClient.connect(port, "localhost");
        xmpp.login(login.username(), login.password());
        xmpp.send("<presence/>");
        xmpp.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        return xmpp;
    }

    /** Echoes the confirm back (accept) or answers it with an error (deny); returns the confirm as received. */
    private static String answer(XmppSocketClient xmpp, boolean accept) throws Exception {
        String message = xmpp.awaitMessage(HTTP_AUTH);
        Matcher confirm = CONFIRM.matcher(message);
        Matcher id = MESSAGE_ID.matcher(message);
        assertTrue(confirm.find() && id.find(), message);
        xmpp.send("<message to='channels.localhost' id='" + id.group(1) + "'" + (accept ? "" : " type='error'") + ">" + confirm.group()
                + (accept ? "" : "<error type='auth'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>") + "</message>");
        return confirm.group();
    }

    private static String privateFile(Login juliet, byte[] content) {
        String id = given().auth().oauth2(juliet.accessToken()).multiPart("file", "letter.png", content, "image/png")
                .post("/" + juliet.jid()).then().statusCode(201).extract().path("id");
        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("access_model", "authorize")).post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/" + juliet.jid() + "/" + id).statusCode() == 401);
        return id;
    }

    @Test
    void theSessionsClientConfirmsAndTheRequestIsServed() throws Exception {
        Login juliet = account("juliet");
        byte[] content = bytes(4_096);
        String id = privateFile(juliet, content);
        given().get("/" + juliet.jid() + "/" + id).then().statusCode(401).header("WWW-Authenticate", containsString("Basic realm=\"xmpp\""));
        try (XmppSocketClient xmpp = online(juliet)) {
            CompletableFuture<Response> download = CompletableFuture.supplyAsync(() -> given().auth().preemptive()
                    .basic(xmpp.fullJid(), "tx-basic-" + id).get("/" + juliet.jid() + "/" + id));
            String confirm = answer(xmpp, true);
            assertTrue(confirm.contains("tx-basic-" + id) && confirm.contains("GET") && confirm.contains("/" + id), confirm);
            assertArrayEquals(content, download.get(20, TimeUnit.SECONDS).then().statusCode(200).extract().asByteArray());

            String auth = Base64.getUrlEncoder().encodeToString((xmpp.fullJid() + ":tx-query-" + id).getBytes(StandardCharsets.UTF_8));
            CompletableFuture<Response> viaQuery = CompletableFuture.supplyAsync(() -> given().queryParam("auth", auth)
                    .get("/" + juliet.jid() + "/" + id + "/metadata"));
            answer(xmpp, true);
            viaQuery.get(20, TimeUnit.SECONDS).then().statusCode(200).body("id", org.hamcrest.Matchers.equalTo(id));

            CompletableFuture<Response> denied = CompletableFuture.supplyAsync(() -> given().auth().preemptive()
                    .basic(xmpp.fullJid(), "tx-deny-" + id).get("/" + juliet.jid() + "/" + id));
            answer(xmpp, false);
            denied.get(20, TimeUnit.SECONDS).then().statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("denied"));
        }
    }

    @Test
    void noConnectedClientOrAMalformedClaimIsRefused() {
        Login juliet = account("juliet");
        String id = privateFile(juliet, bytes(10));
        given().auth().preemptive().basic(juliet.jid() + "/gone", "tx-1").get("/" + juliet.jid() + "/" + id).then().statusCode(403)
                .body("detail", containsString("not_connected"));
        given().auth().preemptive().basic(juliet.jid() + "/gone", "<script>").get("/" + juliet.jid() + "/" + id).then().statusCode(401);
        given().auth().preemptive().basic(juliet.jid(), "a-password").get("/" + juliet.jid() + "/" + id).then().statusCode(401);
        given().queryParam("auth", "%%%").get("/" + juliet.jid() + "/" + id).then().statusCode(401);
    }
}
