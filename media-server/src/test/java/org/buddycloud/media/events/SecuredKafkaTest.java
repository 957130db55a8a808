package org.buddycloud.media.events;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.buddycloud.testsupport.LocalInfrastructureOnly;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.S3TestResource;
import org.buddycloud.testsupport.SecuredServiceTestStack;
import org.buddycloud.testsupport.ServiceTestStack;
import org.buddycloud.testsupport.TopicReader;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka client of the services takes the {@code kafka.*} settings: against a broker whose only client
 * listener demands SASL SCRAM-SHA-256, the channel server (outbox relay, its XMPP consumers, revocations) and the
 * media server (topic creation, channel read model, outbox relay, revocations) carry an account, a post, a file
 * and a revocation through it, while a client without the login is refused.
 */
@QuarkusTest
@LocalInfrastructureOnly("a broker whose only listener demands SASL/SCRAM")
@WithTestResource(SecuredServiceTestStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class SecuredKafkaTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void accountsPostsFilesAndRevocationsFlowThroughASaslScramBroker() {
        assertThrows(org.apache.kafka.common.errors.TimeoutException.class, () -> partitionsWithoutLogin("buddycloud.accounts"),
                "the broker refuses a client without the SASL login");

        String channelServer = ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class);
        Login juliet = new ChannelServerClient(channelServer).newAccount("juliet");
        try (KafkaEvents accounts = new KafkaEvents(secured(), "buddycloud.accounts");
             KafkaEvents posts = new KafkaEvents(secured(), "buddycloud.posts");
             KafkaEvents media = new KafkaEvents(secured(), "buddycloud.media")) {
            accounts.await(EventTypes.ACCOUNT_REGISTERED.name(), juliet.jid(), DEADLINE);

            // the channel reached the media server's read model
            await().atMost(DEADLINE).until(() -> given().get("/" + juliet.jid()).statusCode() == 200);

            given().baseUri(channelServer).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("content", "Over SASL")).post("/" + juliet.jid() + "/content/posts").then().statusCode(201);
            posts.await(EventTypes.POST_PUBLISHED.name(), juliet.jid(), DEADLINE);

            given().auth().oauth2(juliet.accessToken()).multiPart("file", "note.txt", "O Romeo".getBytes(), "text/plain")
                    .post("/" + juliet.jid()).then().statusCode(201);
            media.await(EventTypes.MEDIA_STORED.name(), juliet.jid(), DEADLINE);

            given().auth().oauth2(juliet.accessToken()).get("/whoami").then().statusCode(200);
            new ChannelServerClient(channelServer).revoke(juliet.accessToken());
            await().atMost(DEADLINE).untilAsserted(() ->
                    given().auth().oauth2(juliet.accessToken()).get("/whoami").then().statusCode(401));
        }
    }

    @Test
    void theServicesCreatedTheirTopicsWithTheConfiguredPartitions() throws Exception {
        try (Admin admin = Admin.create(secured())) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of("buddycloud.accounts", "buddycloud.channels",
                    "buddycloud.posts", "buddycloud.memberships", "buddycloud.media", "buddycloud.dead-letters")).allTopicNames().get();
            assertEquals(6, topics.size());
            topics.values().forEach(topic -> assertEquals(3, topic.partitions().size(), topic.name()));
        }
        assertTrue(given().get("/q/health/ready").then().extract().asString().contains("kafka-topics"));
    }

    private static Map<String, Object> secured() {
        Map<String, Object> config = new HashMap<>();
        for (String key : List.of("bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.jaas.config")) {
            config.put(key, ConfigProvider.getConfig().getValue("kafka." + key, String.class));
        }
        return config;
    }

    private static void partitionsWithoutLogin(String topic) {
        new TopicReader(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers",
                String.class)), topic).close();
    }
}
