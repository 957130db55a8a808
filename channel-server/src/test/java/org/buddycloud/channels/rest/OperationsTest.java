package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.buddycloud.channels.xmpp.XmppServer;
import org.buddycloud.localstack.testing.ChannelServerClient;
import org.buddycloud.localstack.testing.KafkaTestResource;
import org.buddycloud.localstack.testing.PostgresTestResource;
import org.buddycloud.localstack.testing.TokenProtectedServiceContract;
import org.junit.jupiter.api.Test;

/** The channel server keeps the same token promises as every other service, and is observable like them. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class OperationsTest extends TokenProtectedServiceContract {

    @Override
    protected ChannelServerClient channelServer() {
        return new ChannelServerClient("http://localhost:" + RestAssured.port);
    }

    @Override
    protected int channelServerXmppPort() {
        return Arc.container().instance(XmppServer.class).get().port();
    }

    @Test
    void readinessCoversTheDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka-outbox", "kafka-revocation-feed", "signing-keys"));
    }

    @Test
    void metricsAndOpenApiDescribeTheService() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("buddycloud_outbox_published_total"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/account/pw/reset/confirm")).body(containsString("/auth/token"))
                .body(containsString("/.well-known/jwks.json"));
    }
}
