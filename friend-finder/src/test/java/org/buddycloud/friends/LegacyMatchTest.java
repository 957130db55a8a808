package org.buddycloud.friends;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Where an operator turned the legacy match on: PROTOCOL.md §5's {@code POST /match_contacts} with plain SHA-256 (hex of
 * {@code email:<address>}) finds verified, discoverable claims — and {@code mine} still claims nothing.
 */
@QuarkusTest
@TestProfile(LegacyMatchTest.LegacyOn.class)
@WithTestResource(FriendsTestStack.class)
@WithTestResource(PostgresTestResource.class)
class LegacyMatchTest {

    public static class LegacyOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("buddycloud.friends.legacy.enabled", "true");
        }
    }

    private final ChannelServerClient channels = new ChannelServerClient(
            ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class));

    @Test
    void plainHashesFindVerifiedClaimsAndMineClaimsNothing() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        Login juliet = channels.newAccount("juliet");
        String address = "juliet." + UUID.randomUUID().toString().substring(0, 8) + "@capulet.lit";
        String claim = given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("medium", "email", "address", address, "discoverable", true)).post("/claims").then().statusCode(202)
                .extract().path("id");
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("code", FriendsTestStack.mailedCode(address).orElseThrow())).post("/claims/" + claim + "/verify")
                .then().statusCode(200);
        String legacy = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("email:" + address).getBytes(StandardCharsets.UTF_8)));

        Login romeo = channels.newAccount("romeo");
        given().auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("mine", List.of(), "others", List.of(legacy, "b".repeat(64)))).post("/match_contacts").then().statusCode(200)
                .body("items.jid", equalTo(List.of(juliet.jid()))).body("items[0].matched-hash", equalTo(legacy));

        // "mine" is no claim: mallory saying the address is hers changes nothing
        Login mallory = channels.newAccount("mallory");
        given().auth().oauth2(mallory.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("mine", List.of(legacy), "others", List.of("c".repeat(64)))).post("/match_contacts").then().statusCode(200)
                .body("items", empty());
        given().auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON).body(Map.of("others", List.of(legacy)))
                .post("/match_contacts").then().statusCode(200).body("items.jid", equalTo(List.of(juliet.jid())));
        given().auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON).body(Map.of("mine", List.of(legacy)))
                .post("/match_contacts").then().statusCode(400).body("detail", containsString("hashes"));
    }
}
