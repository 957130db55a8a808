package org.buddycloud.push;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.buddycloud.push.PushTestSupport.DEADLINE;
import static org.buddycloud.push.PushTestSupport.account;
import static org.buddycloud.push.PushTestSupport.post;
import static org.buddycloud.push.PushTestSupport.registerFcm;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.push.delivery.WebPushStandIn;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.junit.jupiter.api.Test;

/** The embedded default: no Firebase credentials. FCM is reported as not configured; the service is ready and Web Push works. */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(GreenMailTestResource.class)
class FcmNotConfiguredTest {

    @Test
    void withoutFirebaseCredentialsFcmIsNotConfiguredAndTheRestWorks() throws Exception {
        PushTestSupport.awaitReady();
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'push' }.data.fcm", equalTo("not configured"));
        given().get("/status").then().statusCode(200).body("fcm.configured", equalTo(false))
                .body("fcm.reason", containsString("buddycloud.push.fcm.credentials")).body("webPush.configured", equalTo(true));
        given().get("/notification_metadata?type=gcm").then().statusCode(200).body("configured", equalTo(false));

        Login alice = account("alice");
        Login bob = account("bob");
        long phone = registerFcm(alice, "fcm-" + UUID.randomUUID(), Map.of());
        try (WebPushStandIn webPush = WebPushStandIn.start()) {
            WebPushStandIn.Subscription browser = webPush.subscribe("browser");
            given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("type", "webpush", "subscription", Map.of("endpoint", browser.endpoint(),
                            "keys", Map.of("p256dh", browser.p256dh(), "auth", browser.auth()))))
                    .post("/devices").then().statusCode(201);

            post(bob, bob.jid(), "hello " + alice.jid(), null);

            await().atMost(DEADLINE).until(() -> !webPush.receivedFor(browser).isEmpty());
            // the token is kept for when FCM is configured, but nothing is queued for it meanwhile (nor given up)
            given().auth().oauth2(alice.accessToken()).get("/devices/" + phone).then().statusCode(200)
                    .body("waiting", equalTo(0)).body("lastError", org.hamcrest.Matchers.nullValue());
            given().auth().oauth2(alice.accessToken()).get("/devices").then().body("type", hasItem("webpush"));
        }
    }
}
