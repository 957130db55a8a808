package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.buddycloud.channels.auth.SigningKeyMaintenance;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class SigningKeyRotationTest extends ClockedTest {

    @Inject
    SigningKeyMaintenance keys;

    @Test
    void rotationSignsWithANewKeyAndKeepsEarlierTokensValid() throws Exception {
        ChannelServerClient.Login before = ChannelServerTest.client().newAccount("juliet");
        String oldKid = kid(before.accessToken());
        given().get("/.well-known/jwks.json").then().body("keys.kid", hasItem(oldKid));

        String newKid = keys.rotate().keyId();
        ChannelServerClient.Login after = ChannelServerTest.client().newAccount("romeo");
        assertEquals(newKid, kid(after.accessToken()));
        assertNotEquals(oldKid, newKid);
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys.kid", hasItems(oldKid, newKid));
        given().auth().oauth2(before.accessToken()).get("/whoami").then().statusCode(200);
        given().auth().oauth2(after.accessToken()).get("/whoami").then().statusCode(200);
    }

    @Test
    void aRetiredKeyLeavesTheKeySetOnceItsTokensHaveExpired() throws Exception {
        String oldKid = kid(ChannelServerTest.client().newAccount("tybalt").accessToken());
        keys.rotate();
        clock.shift(Duration.ofMinutes(22));
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys.kid", not(hasItem(oldKid)));
    }

    @Test
    void aScheduledKeyIsPublishedBeforeItSigns() throws Exception {
        String current = kid(ChannelServerTest.client().newAccount("juliet").accessToken());
        clock.shift(Duration.ofDays(7).plusSeconds(1));
        keys.maintain();
        List<String> published = given().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys.kid");
        assertTrue(published.size() >= 2 && published.contains(current), "the next key is announced beside the current one");
        assertEquals(current, kid(ChannelServerTest.client().newAccount("romeo").accessToken()), "but the current one still signs");
        clock.shift(Duration.ofMinutes(5).plusSeconds(1));
        String next = kid(ChannelServerTest.client().newAccount("nurse").accessToken());
        assertNotEquals(current, next);
        assertTrue(published.contains(next));
    }

    private static String kid(String token) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0])).get("kid").asText();
    }
}
