package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.buddycloud.testsupport.LocalInfrastructureOnly;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.testsupport.InjectKafka;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@LocalInfrastructureOnly("stops and restarts the broker")
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class OutboxDeliveryTest {

    @InjectKafka
    KafkaNode kafka;

    @Inject
    MeterRegistry metrics;

    @Test
    void registrationsAcceptedWhileKafkaIsDownArePublishedWhenItReturns() {
        kafka.stop();
        String name = "juliet-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            double failuresBefore = relayFailures();
            given().contentType(ContentType.JSON)
                    .body(Map.of("username", name, "password", "while-kafka-sleeps", "email", "j@example.com"))
                    .post("/account").then().statusCode(201);
            // the relay really tried and failed while the broker was away; the event waits in the outbox
            await().atMost(Duration.ofSeconds(60)).until(() -> relayFailures() > failuresBefore);
            // a longer outage takes the service out of rotation, saying why
            await().atMost(Duration.ofSeconds(60)).until(() -> "DOWN".equals(given().get("/q/health/ready")
                    .then().extract().path("checks.find { it.name == 'kafka-outbox' }.status")));
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        } finally {
            kafka.start();
        }
        try (KafkaEvents events = new KafkaEvents(kafka.bootstrapServers(), "buddycloud.accounts")) {
            events.await("org.buddycloud.account.registered", name + "@localhost", Duration.ofSeconds(60));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aPostAcceptedWhileKafkaIsDownArrivesAfterItReturns() {
        org.buddycloud.testsupport.ChannelServerClient.Login juliet = ChannelServerTest.client().newAccount("juliet");
        kafka.stop();
        String id;
        try {
            double failuresBefore = relayFailures();
            id = given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(Map.of("content", "in the dark"))
                    .post("/" + juliet.jid() + "/content/posts").then().statusCode(201).extract().path("id");
            await().atMost(Duration.ofSeconds(60)).until(() -> relayFailures() > failuresBefore);
        } finally {
            kafka.start();
        }
        try (KafkaEvents events = new KafkaEvents(kafka.bootstrapServers(), "buddycloud.posts")) {
            events.await(r -> r.event().data() instanceof org.buddycloud.contracts.events.PostPublished p && p.post().itemId().equals(id),
                    Duration.ofSeconds(60));
        }
    }

    private double relayFailures() {
        return metrics.counter("buddycloud.outbox.failures").count();
    }
}
