package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.contracts.events.AccountRegistered;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class RegistrationTest {

    private static final String REGISTERED = "org.buddycloud.account.registered";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void registersAnAccountAndPublishesTheEventKeyedByItsJid() {
        String name = unique("juliet");
        given().contentType(ContentType.JSON).body(registration(name, "wherefore-art-thou", name + "@example.com"))
                .post("/account").then().statusCode(201).body("jid", equalTo(name + "@localhost"));
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.accounts")) {
            KafkaEvents.Received received = events.await(REGISTERED, name + "@localhost", Duration.ofSeconds(30));
            AccountRegistered data = (AccountRegistered) received.event().data();
            assertEquals(name + "@example.com", data.email());
            assertEquals("1.0", received.headers().get("ce_specversion"));
            assertEquals("//buddycloud/channel-server/localhost", received.headers().get("ce_source"));
            assertEquals("application/json", received.headers().get("content-type"));
        }
    }

    @Test
    void aTakenUserNameIsAConflictWhateverItsCaseAndPublishesNothingMore() {
        String name = unique("capulet");
        register(name, "a-good-password", "capulet@example.com").then().statusCode(201);
        register(name, "another-password", "other@example.com").then().statusCode(409)
                .contentType("application/problem+json").body("condition", equalTo("conflict"))
                .body("detail", containsString("taken"));
        register(name.toUpperCase(), "another-password", "other@example.com").then().statusCode(409);
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.accounts")) {
            events.await(REGISTERED, name + "@localhost", Duration.ofSeconds(30));
            assertEquals(1, events.within(r -> r.key().equals(name + "@localhost"), Duration.ofSeconds(2)).size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"two words", "romeo@verona", "a/b", "colon:ed", "quote\"d", "amp&", "less<", "tab\tbed"})
    void userNamesThatAreNoXmppLocalpartAreRefused(String name) {
        register(name, "a-good-password", "x@example.com").then().statusCode(400)
                .contentType("application/problem+json").body("condition", equalTo("bad-request"));
    }

    @Test
    void emptyMissingAndOverlongUserNamesAreRefused() {
        register("", "a-good-password", "x@example.com").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("password", "a-good-password", "email", "x@example.com"))
                .post("/account").then().statusCode(400).body("detail", containsString("user name"));
        register("x".repeat(1024), "a-good-password", "x@example.com").then().statusCode(400)
                .body("detail", containsString("1023"));
    }

    @Test
    void missingOrShortPasswordsAreRefused() {
        given().contentType(ContentType.JSON).body(Map.of("username", unique("nurse"), "email", "x@example.com"))
                .post("/account").then().statusCode(400).body("detail", containsString("password"));
        register(unique("nurse"), "short", "x@example.com").then().statusCode(400)
                .body("detail", containsString("at least 8"));
    }

    @Test
    void missingOrInvalidEmailAddressesAreRefused() {
        given().contentType(ContentType.JSON).body(Map.of("username", unique("tybalt"), "password", "a-good-password"))
                .post("/account").then().statusCode(400).body("detail", containsString("e-mail"));
        for (String email : new String[] {"no-at-sign", "two@@example.com", "spaces in@example.com", "x@nodot", "x@exa mple.com", "<x>@example.com"}) {
            register(unique("tybalt"), "a-good-password", email).then().statusCode(400);
        }
    }

    @Test
    void malformedOrMissingBodiesAreBadRequests() {
        given().contentType(ContentType.JSON).body("{\"username\": ").post("/account").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("JSON"));
        given().contentType(ContentType.JSON).post("/account").then().statusCode(400);
        given().contentType(ContentType.JSON).body("[1,2]").post("/account").then().statusCode(400);
    }

    @Test
    void oversizedBodiesAre413() {
        register(unique("friar"), "a-good-password", "x".repeat(300_000) + "@example.com").then().statusCode(413)
                .contentType("application/problem+json").body("condition", equalTo("payload-too-big"));
    }

    @Test
    void oversizedBodiesWithoutALengthAreCutOff() throws Exception {
        // chunked, so nothing declares the size: the HTTP layer's body limit (1 MiB) ends the request with a bare 413
        // (RESTEasy Reactive writes it itself, no mapper sees it) and closes the connection; declared sizes get the
        // problem above. The server may close while the client still sends, so a cut connection is a refusal too;
        // what must never come is an answer to the (malformed) body, which a server reading it all would give.
        // one JSON string of 2.5 MiB: well-formed as far as it goes, so only the size can stop it
        java.util.List<java.io.InputStream> parts = new java.util.ArrayList<>();
        parts.add(new java.io.ByteArrayInputStream("{\"username\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        byte[] letters = "x".repeat(64 * 1024).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < 40; i++) {
            parts.add(new java.io.ByteArrayInputStream(letters));
        }
        java.io.InputStream endless = new java.io.SequenceInputStream(java.util.Collections.enumeration(parts));
        java.net.http.HttpClient http1 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        try {
            java.net.http.HttpResponse<String> response = http1.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/account"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode(), response.body());
        } catch (java.io.IOException cutOff) {
            // the server stopped the upload before the client finished sending
        }
        register(unique("friar"), "a-good-password", "friar@example.com").then().statusCode(201);
    }

    @Test
    void otherContentTypesAre415() {
        given().contentType(ContentType.TEXT).body("username=juliet").post("/account").then().statusCode(415)
                .contentType("application/problem+json").body("status", equalTo(415));
    }

    @Test
    void unknownPathsAnswerWithAProblem() {
        given().get("/no/such/thing").then().statusCode(404).contentType("application/problem+json");
        given().put("/account").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void aRefusedRegistrationIsNotPublished() {
        String name = unique("paris");
        register(name, "short", "paris@example.com").then().statusCode(400);
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.accounts")) {
            assertTrue(events.within(r -> r.key().equals(name + "@localhost"), Duration.ofSeconds(2)).isEmpty());
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static io.restassured.response.Response register(String username, String password, String email) {
        return given().contentType(ContentType.JSON).body(registration(username, password, email)).post("/account");
    }

    private static Map<String, String> registration(String username, String password, String email) {
        Map<String, String> body = new HashMap<>();
        body.put("username", username);
        body.put("password", password);
        body.put("email", email);
        return body;
    }
}
