package org.buddycloud.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ServiceTestStack;
import org.buddycloud.testsupport.TokenProtectedServiceContract;
import org.junit.jupiter.api.Test;

/** The api-gateway accepts the channel server's tokens and refuses revoked ones, through a real broker. */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
class TokenCheckTest extends TokenProtectedServiceContract {

    @Test
    void fetchesTheKeySetAgainWhenATokenIsSignedWithAKeyRotatedInAfterwards() {
        ChannelServerClient channelServer = channelServer();
        ChannelServerClient.Login before = channelServer.newAccount("juliet");
        given().auth().oauth2(before.accessToken()).get("/whoami").then().statusCode(200);
        // the test stack's channel server rotates its signing key every 10 s
        ChannelServerClient.Login after = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .until(() -> channelServer.newAccount("romeo"), login -> !keyId(login).equals(keyId(before)));
        assertNotEquals(keyId(before), keyId(after));
        given().auth().oauth2(after.accessToken()).get("/whoami").then().statusCode(200);
        given().auth().oauth2(before.accessToken()).get("/whoami").then().statusCode(200);
    }

    private static String keyId(ChannelServerClient.Login login) {
        String header = new String(Base64.getUrlDecoder().decode(login.accessToken().split("\\.")[0]), StandardCharsets.UTF_8);
        return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }
}
