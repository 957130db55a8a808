package org.buddycloud.push;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;

/** Accounts, posts and follows on the real channel server of the tests, and the push API as its users call it. */
public final class PushTestSupport {

    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private PushTestSupport() {
    }

    /**
     * {@code condition} holds now and keeps holding for a while in which what it rules out would have happened (the
     * same events through the same path arrive within milliseconds): how a test says "nothing more came".
     */
    public static void keepsHolding(java.util.concurrent.Callable<Boolean> condition) {
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10)).until(condition);
    }

    public static String channelServer() {
        return ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class);
    }

    /** The push server has read the events up to their end and reaches its database. */
    public static void awaitReady() {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    public static Login account(String name) {
        return new ChannelServerClient(channelServer()).newAccount(name);
    }

    /** Publishes a post (a reply when {@code replyTo} is given) on {@code channel}'s posts node; answers its item id. */
    public static String post(Login author, String channel, String content, String replyTo) {
        Map<String, Object> body = replyTo == null ? Map.of("content", content) : Map.of("content", content, "replyTo", replyTo);
        return given().baseUri(channelServer()).auth().oauth2(author.accessToken()).contentType(ContentType.JSON).body(body)
                .post("/" + channel + "/content/posts").then().statusCode(201).extract().path("id");
    }

    /** Asks to follow {@code channel}: subscribed for an open one, pending for a private one. */
    public static String follow(Login follower, String channel) {
        return given().baseUri(channelServer()).auth().oauth2(follower.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(channel + "/posts", "subscribed")).post("/subscribed").then().statusCode(200)
                .extract().as(Map.class).get(channel + "/posts").toString();
    }

    public static void makePrivate(Login owner) {
        given().baseUri(channelServer()).auth().oauth2(owner.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("access_model", "authorize")).post("/" + owner.jid() + "/metadata/posts").then().statusCode(200);
    }

    public static void approve(Login owner, String follower) {
        given().baseUri(channelServer()).auth().oauth2(owner.accessToken()).contentType(ContentType.JSON)
                .body(java.util.List.of(Map.of("jid", follower, "subscription", "subscribed")))
                .post("/" + owner.jid() + "/subscribers/posts/approve").then().statusCode(200);
    }

    public static void setAffiliation(Login owner, String jid, String affiliation) {
        given().baseUri(channelServer()).auth().oauth2(owner.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(jid, affiliation)).post("/" + owner.jid() + "/subscribers/posts").then().statusCode(200);
    }

    /** Registers an FCM token for the user at the push server; answers the device id. */
    public static long registerFcm(Login user, String token, Map<String, Object> settings) {
        Map<String, Object> body = settings.isEmpty() ? Map.of("type", "fcm", "token", token)
                : Map.of("type", "fcm", "token", token, "settings", settings);
        return given().auth().oauth2(user.accessToken()).contentType(ContentType.JSON).body(body)
                .post("/devices").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static void preferences(Login user, Map<String, Object> changes) {
        given().auth().oauth2(user.accessToken()).contentType(ContentType.JSON).body(changes)
                .put("/notification_preferences").then().statusCode(200);
    }
}
