package org.buddycloud.push;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.buddycloud.push.PushTestSupport.DEADLINE;
import static org.buddycloud.push.PushTestSupport.account;
import static org.buddycloud.push.PushTestSupport.approve;
import static org.buddycloud.push.PushTestSupport.follow;
import static org.buddycloud.push.PushTestSupport.makePrivate;
import static org.buddycloud.push.PushTestSupport.post;
import static org.buddycloud.push.PushTestSupport.preferences;
import static org.buddycloud.push.PushTestSupport.registerFcm;
import static org.buddycloud.push.PushTestSupport.setAffiliation;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.push.delivery.WebPushStandIn;
import org.buddycloud.push.service.AdjustablePushClock;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.FcmStandIn;
import org.buddycloud.testsupport.FcmTestResource;
import org.buddycloud.testsupport.KafkaReplay;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * From a post or a follow on the real channel server, through Kafka and the push server, to the providers: the
 * Firebase Admin SDK's FCM v1 request at Google's stand-in, a Web Push request the test decrypts with the
 * subscription's keys, and mail at a real SMTP server — with who may hear of what, quiet hours, digests, and
 * devices the providers say are gone.
 */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(FcmTestResource.class)
@WithTestResource(GreenMailTestResource.class)
class PushEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebPushStandIn webPush;

    @Inject
    AdjustablePushClock clock;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeAll
    static void startPushService() {
        webPush = WebPushStandIn.start();
    }

    @AfterAll
    static void stopPushService() {
        webPush.close();
    }

    @BeforeEach
    void ready() {
        PushTestSupport.awaitReady();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static FcmStandIn fcm() {
        return FcmTestResource.fcm();
    }

    private static String token() {
        return "fcm-" + UUID.randomUUID();
    }

    private static List<FcmStandIn.Received> awaitFcm(String token, int count) {
        return await().atMost(DEADLINE).until(() -> fcm().receivedFor(token), list -> list.size() >= count);
    }

    /** Nothing more arrives for the token within a while in which it would have (the same events, through the same path). */
    private static void assertNothingMoreFor(String token, int already) {
        PushTestSupport.keepsHolding(() -> fcm().receivedFor(token).size() == already);
    }

    @Test
    void aMentionReachesTheMentionedUsersPhoneThroughFcmWithoutThePostsText() {
        Login alice = account("alice");
        Login bob = account("bob");
        String token = token();
        registerFcm(alice, token, Map.of());

        String item = post(bob, bob.jid(), "a secret for " + alice.jid() + " only", null);

        JsonNode message = awaitFcm(token, 1).get(0).message();
        assertEquals(bob.jid() + " mentioned you in " + bob.jid(), message.path("notification").path("title").asText());
        assertTrue(message.path("notification").path("body").isMissingNode(), "no post text through Google by default: " + message);
        assertEquals("mention", message.path("data").path("event").asText());
        assertEquals(item, message.path("data").path("item").asText());
        assertEquals(32, message.path("android").path("collapse_key").asText().length(), message.toString());
        assertEquals(message.path("android").path("collapse_key").asText(),
                message.path("apns").path("headers").path("apns-collapse-id").asText());
        given().auth().oauth2(alice.accessToken()).get("/devices").then().statusCode(200)
                .body("[0].target", equalTo(token)).body("[0].lastSuccessAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void postsOnMyChannelAndRepliesToMyPostCarryTheTextWhenIAllowIt() {
        Login alice = account("alice");
        Login bob = account("bob");
        String token = token();
        registerFcm(alice, token, Map.of("followMyChannel", false));
        preferences(alice, Map.of("postTextThroughProviders", true));
        follow(bob, alice.jid());
        setAffiliation(alice, bob.jid(), "publisher");

        String top = post(alice, alice.jid(), "what do you think?", null);
        post(bob, alice.jid(), "I think   it is\nfine", top);

        JsonNode message = awaitFcm(token, 1).get(0).message();
        assertEquals("reply_to_my_post", message.path("data").path("event").asText(), "one notice per event: the most personal kind");
        assertEquals("I think it is fine", message.path("notification").path("body").asText());
        post(bob, alice.jid(), "a new post of mine on your channel", null);
        JsonNode second = awaitFcm(token, 2).get(1).message();
        assertEquals("post_on_my_channel", second.path("data").path("event").asText());
    }

    @Test
    void aPrivateChannelsPostsAndRequestsReachItsMembersOnly() throws Exception {
        Login alice = account("alice");
        Login carol = account("carol");
        Login dave = account("dave");
        String aliceToken = token();
        String carolToken = token();
        String daveToken = token();
        registerFcm(alice, aliceToken, Map.of());
        registerFcm(carol, carolToken, Map.of("postOnSubscribedChannel", true));
        registerFcm(dave, daveToken, Map.of("postOnSubscribedChannel", true));
        makePrivate(alice);

        assertEquals("pending", follow(carol, alice.jid()));
        JsonNode request = awaitFcm(aliceToken, 1).get(0).message();
        assertEquals("follow_request", request.path("data").path("event").asText());
        assertEquals(carol.jid() + " asks to follow " + alice.jid(), request.path("notification").path("title").asText());
        approve(alice, carol.jid());
        assertEquals("follow_request_approved", awaitFcm(carolToken, 1).get(0).message().path("data").path("event").asText());

        // dave is mentioned but may not read the channel: he hears nothing of it; carol, a follower who asked for every post, does
        post(alice, alice.jid(), "members only, not you " + dave.jid(), null);
        assertEquals("post_on_followed_channel", awaitFcm(carolToken, 2).get(1).message().path("data").path("event").asText());
        assertNothingMoreFor(daveToken, 0);
        assertEquals(1, fcm().receivedFor(aliceToken).size(), "the author is not told of her own post");
    }

    @Test
    void webPushPayloadsAreEncryptedForTheSubscriptionAndSignedWithTheKeptVapidKey() throws Exception {
        Login alice = account("alice");
        Login bob = account("bob");
        WebPushStandIn.Subscription subscription = webPush.subscribe("alice-" + UUID.randomUUID());
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("type", "webpush", "subscription", Map.of("endpoint", subscription.endpoint(),
                        "keys", Map.of("p256dh", subscription.p256dh(), "auth", subscription.auth()))))
                .post("/devices").then().statusCode(201).body("type", equalTo("webpush"));

        post(bob, bob.jid(), "hi " + alice.jid(), null);

        WebPushStandIn.Received received = await().atMost(DEADLINE).until(() -> webPush.receivedFor(subscription), l -> !l.isEmpty()).get(0);
        assertEquals("aes128gcm", received.header("Content-Encoding"));
        assertTrue(Integer.parseInt(received.header("TTL")) > 0);
        assertEquals(32, received.header("Topic").length(), "collapsed per user and channel");
        String vapidKey = given().get("/vapid_public_key").then().statusCode(200).extract().path("publicKey");
        assertTrue(received.header("Authorization").startsWith("vapid t="), received.header("Authorization"));
        assertTrue(received.header("Authorization").endsWith("k=" + vapidKey), "signed with the key clients subscribe with");
        JsonNode payload = JSON.readTree(WebPushStandIn.decrypt(subscription, received.body()));
        assertEquals("mention", payload.path("event").asText());
        assertEquals(bob.jid() + " mentioned you in " + bob.jid(), payload.path("title").asText());
    }

    @Test
    void devicesTheProvidersCallGoneAreRemoved() throws Exception {
        Login alice = account("alice");
        Login bob = account("bob");
        String token = token();
        long fcmDevice = registerFcm(alice, token, Map.of());
        fcm().unregister(token);
        WebPushStandIn.Subscription subscription = webPush.subscribe("gone-" + UUID.randomUUID());
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("type", "webpush", "subscription", Map.of("endpoint", subscription.endpoint(),
                        "keys", Map.of("p256dh", subscription.p256dh(), "auth", subscription.auth()))))
                .post("/devices").then().statusCode(201);
        webPush.expire(subscription);

        post(bob, bob.jid(), "are you there, " + alice.jid() + "?", null);

        await().atMost(DEADLINE).until(() -> given().auth().oauth2(alice.accessToken()).get("/devices").then().statusCode(200)
                .extract().jsonPath().getList("$").isEmpty());
        given().auth().oauth2(alice.accessToken()).get("/devices/" + fcmDevice).then().statusCode(404);
        assertFalse(webPush.receivedFor(subscription).isEmpty(), "the push service was asked, and answered 410");
    }

    @Test
    void mailIsConfirmedFromTheWelcomeThenCarriesAnUnsubscribeLink() throws Exception {
        Login alice = account("alice");
        Login bob = account("bob");
        String address = alice.username() + "@example.com";

        String token = token();
        registerFcm(alice, token, Map.of());
        MimeMessage welcome = awaitMail(address, "Welcome");
        String confirm = link(body(welcome), "confirm");
        post(bob, bob.jid(), "before confirming: " + alice.jid(), null);
        awaitFcm(token, 1); // the notice was planned, for the phone only
        given().post(confirm.replaceFirst("^https?://[^/]+", "")).then().statusCode(200);
        given().auth().oauth2(alice.accessToken()).get("/notification_settings?type=email").then().statusCode(200)
                .body("[0].target", equalTo(address)).body("[0].confirmed", equalTo(true));

        post(bob, bob.jid(), "after confirming: " + alice.jid(), null);
        MimeMessage notice = awaitMail(address, "mentioned you");
        assertEquals(1, mailsTo(address, "mentioned you").size(), "nothing but the welcome before the address was confirmed");
        String unsubscribe = link(body(notice), "unsubscribe");
        assertTrue(notice.getHeader("List-Unsubscribe")[0].contains(unsubscribe));
        given().get(unsubscribe.replaceFirst("^https?://[^/]+", "")).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("<form method=\"post\""));
        given().post(unsubscribe.replaceFirst("^https?://[^/]+", "")).then().statusCode(200);
        given().auth().oauth2(alice.accessToken()).get("/notification_settings?type=email").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void quietHoursHoldNoticesAndSendOneCollapsedMessageWhenTheyEnd() throws Exception {
        Login alice = account("alice");
        Login bob = account("bob");
        String token = token();
        registerFcm(alice, token, Map.of());
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        preferences(alice, Map.of("quietHours", Map.of("from", now.minusHours(1).withNano(0).withSecond(0).toString(),
                "until", now.plusHours(1).withNano(0).withSecond(0).toString(), "timeZone", "UTC")));

        post(bob, bob.jid(), "one for " + alice.jid(), null);
        post(bob, bob.jid(), "two for " + alice.jid(), null);
        await().atMost(DEADLINE).until(() -> given().auth().oauth2(alice.accessToken()).get("/devices").then().extract()
                .jsonPath().getInt("[0].waiting") == 1);
        assertNothingMoreFor(token, 0);

        clock.advance(Duration.ofHours(2));
        JsonNode message = awaitFcm(token, 1).get(0).message();
        assertEquals("2", message.path("data").path("count").asText(), "the burst became one message: " + message);
        assertNothingMoreFor(token, 1);
    }

    @Test
    void aNoticeOfWhatADeletedAccountDidIsNeverSent() throws Exception {
        Login alice = account("alice");
        Login bob = account("bob");
        String token = token();
        registerFcm(alice, token, Map.of());
        makePrivate(alice);
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        preferences(alice, Map.of("quietHours", Map.of("from", now.minusHours(1).withNano(0).withSecond(0).toString(),
                "until", now.plusHours(1).withNano(0).withSecond(0).toString(), "timeZone", "UTC")));
        assertEquals("pending", follow(bob, alice.jid()));
        await().atMost(DEADLINE).until(() -> given().auth().oauth2(alice.accessToken()).get("/devices").then().extract()
                .jsonPath().getInt("[0].waiting") == 1);

        // the request was held by quiet hours; its asker is gone before they end (a withdrawn request tells nobody)
        given().baseUri(PushTestSupport.channelServer()).auth().oauth2(bob.accessToken()).delete("/account").then().statusCode(204);
        await().atMost(DEADLINE).until(() -> given().auth().oauth2(alice.accessToken()).get("/devices").then().extract()
                .jsonPath().getInt("[0].waiting") == 0);
        clock.advance(Duration.ofHours(2));
        assertNothingMoreFor(token, 0);
    }

    @Test
    void anHourlyDigestGathersWhatHappenedIntoOneMail() throws Exception {
        Login alice = account("alice");
        Login bob = account("bob");
        String address = alice.username() + "@example.com";
        String confirm = link(body(awaitMail(address, "Welcome")), "confirm");
        given().post(confirm.replaceFirst("^https?://[^/]+", "")).then().statusCode(200);
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("type", "email", "target", address, "followMyChannel", false))
                .post("/notification_settings").then().statusCode(200)
                .body("[0].followMyChannel", equalTo(false)).body("[0].postMentionedMe", equalTo(true));
        preferences(alice, Map.of("digest", "hourly"));

        post(bob, bob.jid(), "first for " + alice.jid(), null);
        follow(bob, alice.jid());
        setAffiliation(alice, bob.jid(), "publisher");
        post(bob, alice.jid(), "second, on your channel", null);
        PushTestSupport.keepsHolding(() -> mailsTo(address, "").size() == 1); // only the welcome so far

        clock.advance(Duration.ofMinutes(61));
        MimeMessage digest = awaitMail(address, "2 things happened");
        String text = body(digest);
        assertTrue(text.contains(bob.jid() + " mentioned you in " + bob.jid()), text);
        assertTrue(text.contains("New post by " + bob.jid() + " in " + alice.jid()), text);
        assertTrue(digest.getHeader("List-Unsubscribe") != null);
    }

    @Test
    void aReplayedTopicTellsNoOneTwice() throws Exception {
        Login alice = account("alice");
        Login bob = account("bob");
        String token = token();
        registerFcm(alice, token, Map.of());
        post(bob, bob.jid(), "once only, " + alice.jid(), null);
        awaitFcm(token, 1);

        int republished = KafkaReplay.republishAll(Map.of("bootstrap.servers", bootstrapServers), "buddycloud.posts");
        assertTrue(republished > 0);
        post(bob, bob.jid(), "and a new one, " + alice.jid(), null);
        awaitFcm(token, 2);
        assertNothingMoreFor(token, 2);
    }

    private static MimeMessage awaitMail(String address, String subjectPart) {
        return await().atMost(DEADLINE).until(() -> mailsTo(address, subjectPart), l -> !l.isEmpty()).get(0);
    }

    private static List<MimeMessage> mailsTo(String address, String subjectPart) throws Exception {
        List<MimeMessage> found = new java.util.ArrayList<>();
        for (MimeMessage m : GreenMailTestResource.mail().getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equals(address) && m.getSubject().contains(subjectPart)) {
                found.add(m);
            }
        }
        return found;
    }

    /** Every text part of the mail, decoded. */
    private static String body(MimeMessage message) throws Exception {
        return text(message.getContent());
    }

    private static String text(Object content) throws Exception {
        if (content instanceof jakarta.mail.Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                all.append(text(multipart.getBodyPart(i).getContent())).append('\n');
            }
            return all.toString();
        }
        return content.toString();
    }

    private static String link(String body, String action) {
        Matcher matcher = Pattern.compile("https?://[^\\s\"<>]+/mail/" + action + "\\?token=[A-Za-z0-9_%\\-]+").matcher(body);
        assertTrue(matcher.find(), () -> "no " + action + " link in: " + body);
        return matcher.group();
    }
}
