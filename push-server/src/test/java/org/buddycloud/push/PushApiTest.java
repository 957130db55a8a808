package org.buddycloud.push;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.buddycloud.push.PushTestSupport.DEADLINE;
import static org.buddycloud.push.PushTestSupport.account;
import static org.buddycloud.push.PushTestSupport.post;
import static org.buddycloud.push.PushTestSupport.registerFcm;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.FcmTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.buddycloud.testsupport.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The push API as an app calls it: the old notification_settings shapes, devices, preferences, what is public,
 * and that bad input and other users' devices get clear refusals. Also where a delivery that keeps failing ends.
 */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(FcmTestResource.class)
@WithTestResource(GreenMailTestResource.class)
class PushApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void ready() {
        PushTestSupport.awaitReady();
    }

    @Test
    void theOldNotificationSettingsShapesWork() {
        Login alice = account("alice");
        String token = "fcm-" + UUID.randomUUID();
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("type", "gcm", "target", token, "postOnSubscribedChannel", true))
                .post("/notification_settings").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].type", equalTo("gcm")).body("[0].target", equalTo(token))
                .body("[0].postOnSubscribedChannel", equalTo(true)).body("[0].postAfterMe", equalTo(true))
                .body("[0].followRequest", equalTo(true));
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("type", "gcm", "target", token, "followRequest", false))
                .post("/notification_settings").then().statusCode(200)
                .body("[0].followRequest", equalTo(false)).body("[0].postOnSubscribedChannel", equalTo(true));
        given().auth().oauth2(alice.accessToken()).get("/notification_settings?type=gcm").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].target", equalTo(token));
        // the registration's address, waiting for its confirmation
        given().auth().oauth2(alice.accessToken()).get("/notification_settings?type=email").then().statusCode(200)
                .body("[0].target", equalTo(alice.username() + "@example.com")).body("[0].confirmed", equalTo(false));
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON).body(Map.of("type", "gcm"))
                .delete("/notification_settings").then().statusCode(200).body("removed", equalTo(1));
        given().auth().oauth2(alice.accessToken()).get("/notification_settings?type=gcm").then().statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("type", "webpush", "target", "https://push.example/x"))
                .post("/notification_settings").then().statusCode(404).body("detail", containsString("POST /devices"));
    }

    @Test
    void whatIsPublicAndWhatNeedsALogin() {
        given().get("/notification_metadata?type=gcm").then().statusCode(200)
                .body("google_project_id", equalTo("buddycloud-test")).body("configured", equalTo(true));
        String key = given().get("/vapid_public_key").then().statusCode(200).extract().path("publicKey");
        assertEquals(87, key.length(), "an uncompressed P-256 point, base64url: " + key);
        given().get("/notification_metadata?type=webpush").then().statusCode(200).body("vapid_public_key", equalTo(key));
        given().get("/status").then().statusCode(200).body("fcm.configured", equalTo(true)).body("mail.delivery", equalTo("smtp"));
        for (String path : List.of("/devices", "/notification_settings", "/notification_preferences")) {
            given().get(path).then().statusCode(401).contentType(containsString("application/problem+json"));
        }
        given().auth().oauth2("not-a-token").get("/devices").then().statusCode(401);
    }

    @Test
    void badInputIsRefusedWithAProblem() {
        Login alice = account("alice");
        String bearer = alice.accessToken();
        given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("type", "gcm"))
                .post("/notification_settings").then().statusCode(400).body("detail", containsString("type, target"));
        given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("type", "pigeon", "target", "x"))
                .post("/notification_settings").then().statusCode(400).body("detail", containsString("unknown type"));
        given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("type", "email", "target", "not an address"))
                .post("/notification_settings").then().statusCode(400).body("detail", containsString("not a mail address"));
        given().auth().oauth2(bearer).contentType(ContentType.JSON).body("{\"type\": \"gcm\", ")
                .post("/notification_settings").then().statusCode(400);
        given().auth().oauth2(bearer).contentType(ContentType.JSON).body("{\"type\":\"fcm\",\"token\":\"" + "x".repeat(70_000) + "\"}")
                .post("/devices").then().statusCode(413).contentType(containsString("application/problem+json"));
        given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("type", "fcm", "token", "has spaces"))
                .post("/devices").then().statusCode(400);
        for (String endpoint : List.of("https://192.168.1.10/push", "https://169.254.169.254/latest", "ftp://push.example/x",
                "https://10.0.0.1/x")) {
            given().auth().oauth2(bearer).contentType(ContentType.JSON)
                    .body(Map.of("type", "webpush", "subscription", Map.of("endpoint", endpoint, "keys", Map.of("p256dh", "BCd", "auth", "x"))))
                    .post("/devices").then().statusCode(400).body("detail", containsString("push endpoint"));
        }
        given().auth().oauth2(bearer).contentType(ContentType.JSON)
                .body(Map.of("quietHours", Map.of("from", "22:00", "until", "07:00", "timeZone", "Mars/Olympus")))
                .put("/notification_preferences").then().statusCode(400).body("detail", containsString("time zone"));
        given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("digest", "weekly"))
                .put("/notification_preferences").then().statusCode(400);
        given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("postTextThroughProviders", "yes"))
                .put("/notification_preferences").then().statusCode(400);
        given().post("/mail/confirm?token=nonsense").then().statusCode(404);
    }

    @Test
    void usersSeeAndChangeOnlyTheirOwnDevices() {
        Login alice = account("alice");
        Login bob = account("bob");
        String token = "fcm-" + UUID.randomUUID();
        long device = registerFcm(alice, token, Map.of());
        given().auth().oauth2(bob.accessToken()).get("/devices/" + device).then().statusCode(404);
        given().auth().oauth2(bob.accessToken()).delete("/devices/" + device).then().statusCode(404);
        given().auth().oauth2(bob.accessToken()).get("/devices").then().statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(alice.accessToken()).get("/devices/" + device).then().statusCode(200).body("target", equalTo(token));

        // the phone changes hands: whoever registers the token last is the one told
        registerFcm(bob, token, Map.of());
        given().auth().oauth2(alice.accessToken()).get("/devices").then().statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(bob.accessToken()).get("/devices").then().statusCode(200).body("[0].target", equalTo(token));
    }

    @Test
    void anAppRegisteringItsDeviceAgainKeepsWhatTheUserChose() {
        Login alice = account("alice");
        String token = "fcm-" + UUID.randomUUID();
        long device = registerFcm(alice, token, Map.of("followRequest", false));
        assertEquals(device, registerFcm(alice, token, Map.of()), "the same device");
        given().auth().oauth2(alice.accessToken()).get("/devices/" + device).then().statusCode(200)
                .body("settings.followRequest", equalTo(false)).body("settings.postMentionedMe", equalTo(true));
    }

    @Test
    void preferencesAndMutedChannels() {
        Login alice = account("alice");
        given().auth().oauth2(alice.accessToken()).get("/notification_preferences").then().statusCode(200)
                .body("digest", equalTo("off")).body("postTextThroughProviders", equalTo(false)).body("quietHours", nullValue())
                .body("mutedChannels", hasSize(0));
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("quietHours", Map.of("from", "22:00", "until", "07:00", "timeZone", "Europe/Berlin"), "digest", "daily"))
                .put("/notification_preferences").then().statusCode(200)
                .body("quietHours.timeZone", equalTo("Europe/Berlin")).body("digest", equalTo("daily"));
        given().auth().oauth2(alice.accessToken()).put("/notification_preferences/muted/noisy@localhost").then().statusCode(204);
        given().auth().oauth2(alice.accessToken()).get("/notification_preferences").then().statusCode(200)
                .body("mutedChannels", equalTo(List.of("noisy@localhost"))).body("quietHours.from", equalTo("22:00"));
        given().auth().oauth2(alice.accessToken()).delete("/notification_preferences/muted/noisy@localhost").then().statusCode(204);
        given().auth().oauth2(alice.accessToken()).delete("/notification_preferences/muted/noisy@localhost").then().statusCode(404);
    }

    @Test
    void aMutedChannelIsSilent() throws Exception {
        Login alice = account("alice");
        Login bob = account("bob");
        String token = "fcm-" + UUID.randomUUID();
        registerFcm(alice, token, Map.of());
        given().auth().oauth2(alice.accessToken()).put("/notification_preferences/muted/" + bob.jid()).then().statusCode(204);
        post(bob, bob.jid(), "you will not hear this, " + alice.jid(), null);
        Login carol = account("carol");
        post(carol, carol.jid(), "but this, " + alice.jid(), null);
        await().atMost(DEADLINE).until(() -> !FcmTestResource.fcm().receivedFor(token).isEmpty());
        // only carol's mention
        PushTestSupport.keepsHolding(() -> FcmTestResource.fcm().receivedFor(token).size() == 1);
    }

    @Test
    void aDeliveryThatKeepsFailingIsRetriedThenGoesToTheDeadLetterTopicWithoutThePostsText() throws Exception {
        Login alice = account("alice");
        Login bob = account("bob");
        String token = "fcm-" + UUID.randomUUID();
        long device = registerFcm(alice, token, Map.of());
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON).body(Map.of("postTextThroughProviders", true))
                .put("/notification_preferences").then().statusCode(200);
        FcmTestResource.fcm().exceedQuota(token);

        post(bob, bob.jid(), "a private matter, " + alice.jid(), null);

        JsonNode letter = await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> deadLetterFor(alice.jid()), l -> l != null);
        assertEquals("FCM", letter.path("targetType").asText());
        assertEquals("MENTION", letter.path("kind").asText());
        assertEquals(3, letter.path("attempts").asInt(), "every attempt the policy allows: " + letter);
        assertTrue(letter.path("lastError").asText().contains("QUOTA_EXCEEDED"), letter.toString());
        assertFalse(letter.toString().contains("a private matter"), "no post text on the dead-letter topic");
        given().auth().oauth2(alice.accessToken()).get("/devices/" + device).then().statusCode(200)
                .body("lastError", containsString("QUOTA_EXCEEDED")).body("waiting", equalTo(0));
    }

    private JsonNode deadLetterFor(String jid) throws Exception {
        List<JsonNode> letters = new ArrayList<>();
        try (TopicReader reader = new TopicReader(Map.of("bootstrap.servers", bootstrapServers), "buddycloud.push.dead-letters")) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofSeconds(1))) {
                JsonNode letter = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
                if (jid.equals(letter.path("recipient").asText())) {
                    letters.add(letter);
                }
            }
        }
        return letters.isEmpty() ? null : letters.get(0);
    }
}
