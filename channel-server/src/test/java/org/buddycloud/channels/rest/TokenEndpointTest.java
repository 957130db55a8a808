package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.buddycloud.contracts.events.SessionRevoked;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class TokenEndpointTest extends ClockedTest {

    @Test
    void basicCredentialsBuyAnOAuthTokenResponseWhoseTokenNamesTheAccount() throws Exception {
        ChannelServerClient.Login juliet = ChannelServerTest.client().newAccount("juliet");
        JsonPath response = given().auth().preemptive().basic(juliet.username(), juliet.password()).post("/auth/token")
                .then().statusCode(200).contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .body("refresh_token", notNullValue()).extract().jsonPath();
        String accessToken = response.getString("access_token");
        given().auth().oauth2(accessToken).get("/whoami").then().statusCode(200).body("jid", equalTo(juliet.jid()));

        JsonNode header = json(accessToken.split("\\.")[0]);
        JsonNode claims = json(accessToken.split("\\.")[1]);
        assertEquals("RS256", header.get("alg").asText());
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys.kid", hasItem(header.get("kid").asText()))
                .body("keys[0].kty", equalTo("RSA")).body("keys[0].d", equalTo(null));
        assertEquals(juliet.jid(), claims.get("sub").asText());
        assertEquals("buddycloud", claims.get("aud").asText());
        assertEquals(900, claims.get("exp").asLong() - claims.get("iat").asLong());
    }

    @Test
    void aBareJidWorksAsUserNameToo() {
        ChannelServerClient.Login romeo = ChannelServerTest.client().newAccount("romeo");
        given().auth().preemptive().basic(romeo.jid(), romeo.password()).post("/auth/token").then().statusCode(200);
        given().auth().preemptive().basic(romeo.username().toUpperCase(), romeo.password()).post("/auth/token").then().statusCode(200);
    }

    @Test
    void wrongPasswordsAndUnknownUsersGetTheSame401WithAChallenge() {
        ChannelServerClient.Login nurse = ChannelServerTest.client().newAccount("nurse");
        given().auth().preemptive().basic(nurse.username(), "not-the-password").post("/auth/token").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Basic realm="))
                .body("detail", equalTo("wrong user name or password"));
        given().auth().preemptive().basic("nobody-here", "not-the-password").post("/auth/token").then().statusCode(401)
                .body("detail", equalTo("wrong user name or password"));
        given().post("/auth/token").then().statusCode(401);
        given().header("Authorization", "Basic !!!").post("/auth/token").then().statusCode(401);
    }

    @Test
    void anAccessTokenCannotBuyANewSession() {
        ChannelServerClient.Login tybalt = ChannelServerTest.client().newAccount("tybalt");
        given().auth().oauth2(tybalt.accessToken()).post("/auth/token").then().statusCode(401)
                .body("detail", containsString("HTTP Basic"));
    }

    @Test
    void aRefreshSpendsTheRefreshTokenAndAReplayEndsTheSession() {
        ChannelServerClient.Login paris = ChannelServerTest.client().newAccount("paris");
        JsonPath refreshed = refresh(paris.refreshToken()).then().statusCode(200).header("Cache-Control", "no-store")
                .extract().jsonPath();
        String newAccess = refreshed.getString("access_token");
        String newRefresh = refreshed.getString("refresh_token");
        assertNotEquals(paris.refreshToken(), newRefresh);
        given().auth().oauth2(newAccess).get("/whoami").then().statusCode(200).body("jid", equalTo(paris.jid()));

        refresh(paris.refreshToken()).then().statusCode(401).body("detail", containsString("already used"));
        given().auth().oauth2(newAccess).get("/whoami").then().statusCode(401);
        refresh(newRefresh).then().statusCode(401);
        given().auth().oauth2(paris.accessToken()).get("/whoami").then().statusCode(401);
    }

    @Test
    void theOAuthRefreshGrantWorksAsAForm() {
        ChannelServerClient.Login benvolio = ChannelServerTest.client().newAccount("benvolio");
        given().contentType(ContentType.URLENC).formParams(Map.of("grant_type", "refresh_token", "refresh_token", benvolio.refreshToken()))
                .post("/auth/token").then().statusCode(200).body("token_type", equalTo("Bearer"));
        given().contentType(ContentType.URLENC).formParams(Map.of("grant_type", "password"))
                .post("/auth/token").then().statusCode(400).body("condition", equalTo("bad-request"));
    }

    @Test
    void garbageRefreshTokensAreRefused() {
        refresh("made-up").then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").post("/auth/refresh").then().statusCode(400);
    }

    @Test
    void revokingAnAccessTokenEndsItsSessionHereAtOnceAndEverywhereThroughKafka() {
        ChannelServerClient.Login mercutio = ChannelServerTest.client().newAccount("mercutio");
        given().auth().oauth2(mercutio.accessToken()).get("/whoami").then().statusCode(200);
        ChannelServerTest.client().revoke(mercutio.accessToken());
        given().auth().oauth2(mercutio.accessToken()).get("/whoami").then().statusCode(401);
        refresh(mercutio.refreshToken()).then().statusCode(401);
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.accounts")) {
            SessionRevoked revoked = (SessionRevoked) events.await("org.buddycloud.account.session-revoked", mercutio.jid(),
                    Duration.ofSeconds(30)).event().data();
            assertEquals(mercutio.jid(), revoked.jid().toString());
        }
    }

    /**
     * A browser signing out revokes its access and its refresh token at once, and a live stream may be renewing the
     * same session meanwhile: each of the three locked the session's rows in its own order, and PostgreSQL broke the
     * deadlock by failing one with a 500.
     */
    @Test
    void revokingBothTokensOfASessionWhileItIsRenewedEndsItWithoutAnError() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 25; round++) {
                ChannelServerClient.Login gregory = ChannelServerTest.client().newAccount("gregory");
                // a renewed session has two refresh tokens (the spent one and the new one): more rows to lock
                JsonPath renewed = refresh(gregory.refreshToken()).then().statusCode(200).extract().jsonPath();
                String access = renewed.getString("access_token");
                String refreshToken = renewed.getString("refresh_token");
                CyclicBarrier start = new CyclicBarrier(3);
                Future<Integer> revokeAccess = threads.submit(() -> revokeAfter(start, access));
                Future<Integer> revokeRefresh = threads.submit(() -> revokeAfter(start, refreshToken));
                Future<io.restassured.response.Response> renewal = threads.submit(() -> {
                    start.await();
                    return refresh(refreshToken);
                });
                assertEquals(200, revokeAccess.get(30, TimeUnit.SECONDS), "round " + round + ": revoking the access token");
                assertEquals(200, revokeRefresh.get(30, TimeUnit.SECONDS), "round " + round + ": revoking the refresh token");
                io.restassured.response.Response renewedAgain = renewal.get(30, TimeUnit.SECONDS);
                assertTrue(renewedAgain.statusCode() == 200 || renewedAgain.statusCode() == 401,
                        "round " + round + ": a renewal either wins or is refused, got " + renewedAgain.statusCode());
                given().auth().oauth2(access).get("/whoami").then().statusCode(401);
                refresh(refreshToken).then().statusCode(401);
                if (renewedAgain.statusCode() == 200) {
                    // it won the race, but its session is ended all the same
                    given().auth().oauth2(renewedAgain.jsonPath().getString("access_token")).get("/whoami").then().statusCode(401);
                    refresh(renewedAgain.jsonPath().getString("refresh_token")).then().statusCode(401);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static int revokeAfter(CyclicBarrier start, String token) throws Exception {
        start.await();
        return given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/auth/revoke").statusCode();
    }

    @Test
    void revokingWithTheOAuthFormAndRevokingNonsenseBothAnswer200() {
        ChannelServerClient.Login balthasar = ChannelServerTest.client().newAccount("balthasar");
        given().contentType(ContentType.URLENC).formParam("token", balthasar.refreshToken()).post("/auth/revoke").then().statusCode(200);
        refresh(balthasar.refreshToken()).then().statusCode(401);
        ChannelServerTest.client().revoke("no-such-token");
        ChannelServerTest.client().revoke("a.b.c");
    }

    @Test
    void expiredTokensAreRefused() {
        ChannelServerClient.Login abram = ChannelServerTest.client().newAccount("abram");
        clock.shift(Duration.ofMinutes(16));
        given().auth().oauth2(abram.accessToken()).get("/whoami").then().statusCode(401);
        clock.reset();
        given().auth().oauth2(abram.accessToken()).get("/whoami").then().statusCode(200);
    }

    @Test
    void aLongAgoRefreshTokenHasExpired() {
        ChannelServerClient.Login gregory = ChannelServerTest.client().newAccount("gregory");
        clock.shift(Duration.ofDays(31));
        refresh(gregory.refreshToken()).then().statusCode(401);
    }

    @Test
    void repeatedFailedLoginsAreThrottledEvenWithTheRightPasswordAfterwards() {
        ChannelServerClient.Login sampson = ChannelServerTest.client().newAccount("sampson");
        for (int i = 0; i < 5; i++) {
            given().auth().preemptive().basic(sampson.username(), "guess-" + i).post("/auth/token").then().statusCode(401);
        }
        given().auth().preemptive().basic(sampson.username(), sampson.password()).post("/auth/token").then().statusCode(429)
                .contentType("application/problem+json").body("condition", equalTo("policy-violation"))
                .header("Retry-After", notNullValue());
        given().auth().oauth2(sampson.accessToken()).get("/whoami").then().statusCode(200);
    }

    private static io.restassured.response.Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken)).post("/auth/refresh");
    }

    private static JsonNode json(String base64url) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(base64url));
    }
}
