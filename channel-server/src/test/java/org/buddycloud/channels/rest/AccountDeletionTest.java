package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class AccountDeletionTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;


    @Test
    void deletingAnAccountRevokesItsTokensAndFreesItsName() {
        ChannelServerClient.Login rosaline = ChannelServerTest.client().newAccount("rosaline");
        given().auth().oauth2(rosaline.accessToken()).delete("/account").then().statusCode(204);
        given().auth().oauth2(rosaline.accessToken()).get("/whoami").then().statusCode(401);
        given().auth().preemptive().basic(rosaline.username(), rosaline.password()).post("/auth/token").then().statusCode(401);
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.accounts")) {
            AccountDeleted deleted = (AccountDeleted) events.await("org.buddycloud.account.deleted", rosaline.jid(),
                    Duration.ofSeconds(30)).event().data();
            assertTrue(deleted.tokensValidFromGeneration() > 0);
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("username", rosaline.username(), "password", "a-second-life", "email", "r@example.com"))
                .post("/account").then().statusCode(201);
        ChannelServerClient.Login reborn = ChannelServerTest.client().login(rosaline.username(), rosaline.jid(), "a-second-life");
        given().auth().oauth2(reborn.accessToken()).get("/whoami").then().statusCode(200).body("jid", equalTo(rosaline.jid()));
    }

    @Test
    void deletingNeedsCredentials() {
        given().delete("/account").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void whatADeletedAccountWroteInOtherChannelsGoesWithItAndTheOthersPostsStay() {
        ChannelServerClient client = ChannelServerTest.client();
        ChannelServerClient.Login romeo = client.newAccount("romeo");
        ChannelServerClient.Login tybalt = client.newAccount("tybalt");
        client.configure(romeo, romeo.jid(), Map.of("default_affiliation", "publisher"));
        client.follow(tybalt, romeo.jid());
        String romeos = client.post(romeo, romeo.jid(), "Gentle Tybalt");
        // more than a page of what tybalt wrote here, so that the deletion walks them page by page
        for (int i = 0; i < 205; i++) {
            given().auth().oauth2(tybalt.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("content", "Thou wretched boy " + i, "replyTo", romeos)).post("/" + romeo.jid() + "/content/posts")
                    .then().statusCode(201);
        }
        String tybalts = client.post(tybalt, romeo.jid(), "Boy, this shall not excuse the injuries");
        given().auth().oauth2(tybalt.accessToken()).delete("/account").then().statusCode(204);
        given().get("/" + romeo.jid() + "/content/posts?max=200").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(java.util.List.of(romeos)));
        given().get("/" + romeo.jid() + "/content/posts/" + tybalts).then().statusCode(404);
    }
}
