package org.buddycloud.media.readmodel;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.readmodel.ChannelAccessStore;
import org.buddycloud.servicekit.readmodel.ChannelReadModel;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.KafkaReplay;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.S3TestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The kit's channel read model, as the media server declares it, learns channel permissions from the real
 * channel server's events: creation, a private channel, a follow request approved, a ban — and rebuilds all
 * of it from the topics.
 */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class ChannelReadModelTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Inject
    ChannelAccessStore store;

    @Inject
    ChannelReadModel model;

    @Inject
    KafkaClientService kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private static String channelServer() {
        return ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class);
    }

    private void awaitMember(Jid channel, Jid jid, Affiliation affiliation, Subscription subscription) {
        await().atMost(DEADLINE).until(() -> store.standing(channel, jid), m -> m.equals(Standing.of(affiliation, subscription)));
    }

    @Test
    void followsThePermissionsOfAChannelThroughItsEventsAndRebuildsThem() throws Exception {
        ChannelServerClient channels = new ChannelServerClient(channelServer());
        Login juliet = channels.newAccount("juliet");
        Login romeo = channels.newAccount("romeo");
        Jid channel = Jid.parse(juliet.jid());
        Jid romeoJid = Jid.parse(romeo.jid());

        await().atMost(DEADLINE).until(() -> store.accessModel(channel), Optional.of(AccessModel.OPEN)::equals);
        awaitMember(channel, channel, Affiliation.OWNER, Subscription.SUBSCRIBED);

        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("access_model", "authorize")).post("/" + channel + "/metadata/posts").then().statusCode(200);
        await().atMost(DEADLINE).until(() -> store.accessModel(channel), Optional.of(AccessModel.AUTHORIZE)::equals);

        given().baseUri(channelServer()).auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(channel + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        awaitMember(channel, romeoJid, Affiliation.NONE, Subscription.PENDING);
        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(List.of(Map.of("jid", romeo.jid(), "subscription", "subscribed")))
                .post("/" + channel + "/subscribers/posts/approve").then().statusCode(200);
        awaitMember(channel, romeoJid, Affiliation.MEMBER, Subscription.SUBSCRIBED);

        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(romeo.jid(), "outcast")).post("/" + channel + "/subscribers/posts").then().statusCode(200);
        await().atMost(DEADLINE).until(() -> store.standing(channel, romeoJid).affiliation() == Affiliation.OUTCAST);

        model.rebuild();
        await().atMost(DEADLINE).until(() -> store.standing(channel, romeoJid).affiliation() == Affiliation.OUTCAST
                && store.accessModel(channel).equals(Optional.of(AccessModel.AUTHORIZE)));
        assertEquals(Affiliation.OWNER, store.standing(channel, channel).affiliation(), "rebuilt from the beginning of the topics");
    }

    @Test
    void aReplayOfTheTopicsChangesNothingAndABanStays() throws Exception {
        ChannelServerClient channels = new ChannelServerClient(channelServer());
        Login juliet = channels.newAccount("juliet");
        Login romeo = channels.newAccount("romeo");
        Jid channel = Jid.parse(juliet.jid());
        Jid romeoJid = Jid.parse(romeo.jid());
        given().baseUri(channelServer()).auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(channel + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        await().atMost(DEADLINE).until(() -> store.standing(channel, romeoJid).subscribed());
        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(romeo.jid(), "outcast")).post("/" + channel + "/subscribers/posts").then().statusCode(200);
        await().atMost(DEADLINE).until(() -> store.standing(channel, romeoJid).affiliation() == Affiliation.OUTCAST);

        double handled = handledAgain();
        var consumer = kafka.getConsumer("channel-read-model");
        var assigned = consumer.getAssignments().await().atMost(DEADLINE);
        long reread = consumer.getPositions().await().atMost(DEADLINE).values().stream().mapToLong(Long::longValue).sum();
        consumer.seekToBeginning(assigned).await().atMost(DEADLINE);
        int republished = KafkaReplay.republishAll(Map.of("bootstrap.servers", bootstrapServers), "buddycloud.memberships");
        // romeo's follow comes again (read from the start, and published once more) after his ban: it changes nothing
        await().atMost(DEADLINE).until(() -> handledAgain() >= handled + reread + republished);
        assertEquals(Affiliation.OUTCAST, store.standing(channel, romeoJid).affiliation(), "the ban stays");
    }

    @Test
    void anUnreadableRecordIsSetAsideAndTheModelGoesOn() throws Exception {
        String key = "nurse@localhost";
        KafkaReplay.publish(Map.of("bootstrap.servers", bootstrapServers), new ProducerRecord<>("buddycloud.memberships",
                key.getBytes(StandardCharsets.UTF_8), "{\"not\": \"an event\"}".getBytes(StandardCharsets.UTF_8)));
        Login tybalt = new ChannelServerClient(channelServer()).newAccount("tybalt");
        await().atMost(DEADLINE).until(() -> store.accessModel(Jid.parse(tybalt.jid())), Optional.of(AccessModel.OPEN)::equals);
        await().atMost(DEADLINE).until(() -> given().get("/q/metrics").asString()
                .contains("buddycloud_events_rejected_total{consumer=\"channel-read-model\",reason=\"malformed\"}"));
    }

    /** Records the model recognised as applied already, or set aside again (a malformed record published once more). */
    private static double handledAgain() {
        return given().get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("buddycloud_events_duplicates_total{consumer=\"channel-read-model\"")
                        || l.startsWith("buddycloud_events_rejected_total{consumer=\"channel-read-model\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
