package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import org.buddycloud.channels.auth.SigningKeyMaintenance;
import org.buddycloud.localstack.testing.ChannelServerClient;
import org.buddycloud.localstack.testing.KafkaTestResource;
import org.buddycloud.localstack.testing.PostgresTestResource;
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

    private static String kid(String token) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0])).get("kid").asText();
    }
}
