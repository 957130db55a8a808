package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.rest;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.buddycloud.testsupport.LocalInfrastructureOnly;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.InjectKafka;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.KafkaReplay;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The channel server's own consumers on SmallRye Reactive Messaging: a change is notified to this replica's sessions
 * at its commit, also with Kafka away, and its copy from Kafka is passed; replaying a topic — from the start, and
 * every record published once more — notifies nobody twice and ends no new session; a malformed record and one
 * of an unknown type go to the dead-letter topic, counted, and the consumer goes on; consumer lag is a metric.
 */
@QuarkusTest
@LocalInfrastructureOnly("stops and restarts the broker")
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class EventConsumersTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    KafkaClientService kafka;

    @InjectKafka
    KafkaNode broker;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void replayingThePostsTopicNotifiesNobodyTwice() throws Exception {
        Login juliet = account("juliet");
        try (RawClient romeoClient = followerOnline(juliet)) {
            String before = "before the replay " + UUID.randomUUID();
            post(juliet, before);
            romeoClient.expect(m -> notifies(m, before), WAIT);

            seekToTheBeginning("xmpp-notifications");
            assertTrue(KafkaReplay.republishAll(client(), "buddycloud.posts") > 0);
            String after = "after the replay " + UUID.randomUUID();
            post(juliet, after);

            List<XmlElement> received = new ArrayList<>();
            romeoClient.expect(m -> received.add(m) && notifies(m, after), WAIT);
            assertEquals(0, received.stream().filter(m -> notifies(m, before)).count(), "a post was notified twice: " + received);
        }
    }

    @Test
    void aFollowerOnThisReplicaHearsOfAPostAtItsCommitEvenWithKafkaAwayAndNotAgainFromKafka() throws Exception {
        Login juliet = account("juliet");
        try (RawClient romeoClient = followerOnline(juliet)) {
            String dark = "while Kafka is away " + UUID.randomUUID();
            double copiesPassed;
            broker.stop();
            try {
                post(juliet, dark);
                romeoClient.expect(m -> notifies(m, dark), WAIT);
                // nothing comes from Kafka while it is away: the next copy passed is this post's
                copiesPassed = duplicates("xmpp-notifications");
            } finally {
                broker.start();
            }
            List<XmlElement> received = new ArrayList<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
                XmlElement next = romeoClient.poll(m -> true, Duration.ofMillis(100));
                if (next != null) {
                    received.add(next);
                }
                return duplicates("xmpp-notifications") > copiesPassed;
            });
            String after = "after Kafka came back " + UUID.randomUUID();
            post(juliet, after);
            romeoClient.expect(m -> received.add(m) && notifies(m, after), WAIT);
            assertEquals(0, received.stream().filter(m -> notifies(m, dark)).count(), "notified again from Kafka: " + received);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aReplayedDeletionEndsNoNewSession() throws Exception {
        Login mercutio = account("mercutio");
        given().auth().oauth2(mercutio.accessToken()).delete("/account").then().statusCode(204);
        // the deletion itself is taken before the account is registered again: this test is about a replay of it
        try (KafkaEvents events = new KafkaEvents(bootstrapServers, "buddycloud.accounts")) {
            events.await("org.buddycloud.account.deleted", mercutio.jid(), WAIT);
        }
        awaitReadToTheEnd("xmpp-deleted-accounts");
        Login again = rest().register(mercutio.username(), mercutio.password());
        try (RawClient session = RawClient.login(port(), tls(), "SCRAM-SHA-256", again.username(), again.password())) {
            double skipped = duplicates("xmpp-deleted-accounts");
            seekToTheBeginning("xmpp-deleted-accounts");
            int republished = KafkaReplay.republishAll(client(), "buddycloud.accounts");
            // every record comes twice more: once read again from the start, once published again; a rebalance (the group
            // settling after a broker restart) puts the consumer back where it had come, so the test seeks again then
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                if (duplicates("xmpp-deleted-accounts") >= skipped + 2 * republished) {
                    return true;
                }
                seekToTheBeginning("xmpp-deleted-accounts");
                return false;
            });
            XmlElement pong = session.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertEquals("result", pong.attr("type"), "the session of the account registered again stays");
        }
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndTheConsumerGoesOn() throws Exception {
        Login juliet = account("juliet");
        String key = juliet.jid();
        ProducerRecord<byte[], byte[]> malformed = new ProducerRecord<>("buddycloud.posts", key.getBytes(StandardCharsets.UTF_8),
                "not an event".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> unknown = new ProducerRecord<>("buddycloud.posts", key.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        for (String[] header : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", UUID.randomUUID().toString()},
                {"ce_source", "//elsewhere"}, {"ce_type", "org.buddycloud.post.liked"}, {"ce_subject", key},
                {"ce_time", "2026-12-05T10:00:00Z"}, {"content-type", "application/json"}}) {
            unknown.headers().add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
        }
        try (RawClient romeoClient = followerOnline(juliet);
             DeadLetters deadLetters = new DeadLetters(client())) {
            KafkaReplay.publish(client(), malformed);
            KafkaReplay.publish(client(), unknown);
            KafkaReplay.publish(client(), new ProducerRecord<>("buddycloud.accounts", key.getBytes(StandardCharsets.UTF_8),
                    "no account event".getBytes(StandardCharsets.UTF_8)));
            String after = "after the bad records " + UUID.randomUUID();
            post(juliet, after);
            romeoClient.expect(m -> notifies(m, after), WAIT);

            Map<String, String> malformedLetter = deadLetters.await(r -> "not an event".equals(r.value()), WAIT);
            assertEquals("buddycloud.posts", malformedLetter.get("dead-letter-topic"));
            assertTrue(malformedLetter.get("dead-letter-reason").contains("xmpp-notifications"), malformedLetter.toString());
            Map<String, String> unknownLetter = deadLetters.await(r -> "org.buddycloud.post.liked".equals(r.headers().get("ce_type")), WAIT);
            assertTrue(unknownLetter.get("dead-letter-reason").contains("unknown event type org.buddycloud.post.liked"), unknownLetter.toString());
            // every replica's revocation feed and its XMPP session watch set the account record aside, each itself
            Map<String, String> accountLetter = deadLetters.await(r -> "no account event".equals(r.value())
                    && r.headers().get("dead-letter-reason").contains("revocations"), WAIT);
            assertEquals("buddycloud.accounts", accountLetter.get("dead-letter-topic"));
        }
        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.contains("buddycloud_events_rejected_total{consumer=\"xmpp-notifications\",reason=\"malformed\"}"), "counted");
        assertTrue(metrics.contains("buddycloud_events_rejected_total{consumer=\"xmpp-notifications\",reason=\"unknown-type\"}"), "counted");
    }

    @Test
    void consumerLagIsAPrometheusMetricAndTheConnectorTellsReadiness() {
        // the client registers its lag gauges with its first fetch after an assignment (another test may just have seeked),
        // and Micrometer's Kafka binder looks for new client metrics once a minute: up to 60 s may pass before /q/metrics
        // shows a gauge the client has (30 s failed now and then in CI)
        org.awaitility.Awaitility.await("records lag of the xmpp-notifications consumer").atMost(Duration.ofSeconds(90))
                .until(() -> given().get("/q/metrics").asString().lines()
                        .anyMatch(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag") && l.contains("xmpp-notifications")));
        // readiness may say DOWN for a moment while the consumers are reassigned (the tests before seek and dead-letter):
        // it must come back UP, with every check named
        String[] body = {""};
        org.awaitility.Awaitility.await("readiness UP").atMost(Duration.ofSeconds(30)).until(() -> {
            var answer = given().get("/q/health/ready");
            body[0] = answer.asString();
            return answer.statusCode() == 200;
        });
        String readiness = body[0];
        for (String check : List.of("SmallRye Reactive Messaging - readiness check", "xmpp-notifications", "revocations", "kafka-topics")) {
            assertTrue(readiness.contains(check), check + " in " + readiness);
        }
    }

    /** Until the channel's consumer has fetched every record its partitions hold now (it applies them right after). */
    private void awaitReadToTheEnd(String channel) {
        var consumer = kafka.getConsumer(channel);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> consumer.runOnPollingThread(c -> {
            Set<TopicPartition> assigned = c.assignment();
            Map<TopicPartition, Long> ends = c.endOffsets(assigned);
            return !assigned.isEmpty() && assigned.stream().allMatch(p -> c.position(p) >= ends.get(p));
        }).await().atMost(WAIT));
    }

    private void seekToTheBeginning(String channel) {
        var consumer = kafka.getConsumer(channel);
        Set<TopicPartition> assigned = consumer.getAssignments().await().atMost(WAIT);
        assertNotNull(assigned);
        consumer.seekToBeginning(assigned).await().atMost(WAIT);
    }

    /** How many events a consumer recognised as applied already ({@code buddycloud_events_duplicates_total}). */
    private static double duplicates(String consumer) {
        String prefix = "buddycloud_events_duplicates_total{consumer=\"" + consumer + "\"";
        return given().get("/q/metrics").asString().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private Map<String, Object> client() {
        return Map.of("bootstrap.servers", bootstrapServers);
    }

    /**
     * A new user who follows {@code channel}, logged in over XMPP and available to the channel service — its presence
     * taken before anything is posted (a ping answered after it), since a post now reaches it at the commit.
     */
    private static RawClient followerOnline(Login channel) throws Exception {
        Login romeo = account("romeo");
        follow(romeo, channel);
        RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password());
        client.send("<presence to='" + CHANNELS + "'/>");
        client.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        return client;
    }

    private static void follow(Login follower, Login channel) {
        given().auth().oauth2(follower.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(channel.jid() + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
    }

    private static void post(Login author, String content) {
        given().auth().oauth2(author.accessToken()).contentType(ContentType.JSON).body(Map.of("content", content))
                .post("/" + author.jid() + "/content/posts").then().statusCode(201);
    }

    private static boolean notifies(XmlElement stanza, String content) {
        return stanza.name().equals("message") && stanza.toXml().contains("pubsub#event") && stanza.toXml().contains(content);
    }

    /** Reads the dead-letter topic from its beginning. */
    static final class DeadLetters implements AutoCloseable {

        record Letter(String value, Map<String, String> headers) {
        }

        private final TopicReader reader;
        private final List<Letter> seen = new ArrayList<>();

        DeadLetters(Map<String, Object> client) {
            reader = new TopicReader(client, "buddycloud.dead-letters");
        }

        Map<String, String> await(java.util.function.Predicate<Letter> matching, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : reader.poll(Duration.ofMillis(200))) {
                    seen.add(new Letter(new String(record.value(), StandardCharsets.UTF_8), KafkaEvents.headers(record)));
                }
                for (Letter letter : seen) {
                    if (matching.test(letter)) {
                        return letter.headers();
                    }
                }
            }
            throw new AssertionError("no matching dead letter within " + timeout + "; seen: " + seen);
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
