package org.buddycloud.push;

import static io.restassured.RestAssured.given;
import static org.buddycloud.push.PushTestSupport.account;
import static org.buddycloud.push.PushTestSupport.channelServer;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.FcmTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notification settings travel with an account's archive: the channel server takes them from this push server into
 * {@code settings/notification_settings.json}, and on import sets each target's switches again for the new account.
 */
@QuarkusTest
@WithTestResource(PushArchiveStack.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(FcmTestResource.class)
@WithTestResource(GreenMailTestResource.class)
class PushArchiveTest {

    @BeforeEach
    void ready() {
        PushTestSupport.awaitReady();
    }

    @Test
    void notificationSettingsMoveWithTheArchive() throws Exception {
        Login alice = account("alice");
        String token = "fcm-" + UUID.randomUUID();
        given().auth().oauth2(alice.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("type", "gcm", "target", token, "postOnSubscribedChannel", true, "followRequest", false))
                .post("/notification_settings").then().statusCode(200);

        ChannelServerClient channels = new ChannelServerClient(channelServer());
        byte[] archive = channels.exportArchive(alice);
        String settings = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals("settings/notification_settings.json")) {
                    settings = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertTrue(settings != null && settings.contains(token), "the archive holds her settings: " + settings);

        Login moved = account("alice");
        JsonPath report = channels.importArchive(moved, archive);
        assertTrue(report.getInt("report.notificationSettings") >= 1, report.prettify());
        given().auth().oauth2(moved.accessToken()).get("/notification_settings?type=gcm").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].target", equalTo(token))
                .body("[0].postOnSubscribedChannel", equalTo(true)).body("[0].followRequest", equalTo(false));

        JsonPath again = channels.importArchive(moved, archive);
        assertEquals(0, again.getInt("report.notificationSettings"), "set once, not twice");
    }
}
