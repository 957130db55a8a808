package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.NodeCreated;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.PostUpdated;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every channel change arrives on its Kafka topic as a CloudEvent keyed by the channel, carrying what consumers need. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ChannelEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    private static Login account(String name) {
        return ChannelServerTest.client().newAccount(name);
    }

    private static RequestSpecification as(Login login) {
        return given().auth().oauth2(login.accessToken()).contentType(ContentType.JSON);
    }

    private <T> T await(String topic, String type, String channel, Class<T> payload) {
        try (KafkaEvents events = new KafkaEvents(kafka, topic)) {
            return payload.cast(events.await(type, channel, WAIT).event().data());
        }
    }

    @Test
    void registrationAnnouncesThePersonalChannel() {
        Login juliet = account("juliet");
        ChannelCreated created = await("buddycloud.channels", "org.buddycloud.channel.created", juliet.jid(), ChannelCreated.class);
        assertEquals(ChannelType.PERSONAL, created.channelType());
        assertEquals(Jid.parse(juliet.jid()), created.owner());
        assertEquals(6, created.nodes().size());
        assertEquals(AccessModel.OPEN, created.accessModel());
        // where a user is must not be announced as public: each node carries its own access model
        assertTrue(created.nodes().contains(new ChannelCreated.CreatedNode("/user/" + juliet.jid() + "/geo/current", AccessModel.AUTHORIZE)));
        assertTrue(created.nodes().contains(new ChannelCreated.CreatedNode("/user/" + juliet.jid() + "/posts", AccessModel.OPEN)));
        // the directory learns the channel's first title from its creation, not from a later change
        assertEquals(juliet.jid() + "'s very own buddycloud channel", created.settings().title());
        assertEquals(AccessModel.OPEN, created.settings().accessModel());
        assertTrue(created.settings().advertised());
    }

    @Test
    void aConfigurationChangeCarriesTheWholeNewConfiguration() {
        Login juliet = account("juliet");
        as(juliet).body(Map.of("title", "Balcony", "access_model", "authorize")).post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        ChannelConfigured configured = await("buddycloud.channels", "org.buddycloud.channel.configured", juliet.jid(), ChannelConfigured.class);
        assertEquals("Balcony", configured.settings().title());
        assertEquals(AccessModel.AUTHORIZE, configured.settings().accessModel());
        assertEquals(Affiliation.MEMBER, configured.settings().defaultAffiliation());
    }

    @Test
    void appNodesAndTopicChannelsAreAnnouncedWhenCreatedAndDeleted() {
        Login juliet = account("juliet");
        as(juliet).post("/" + juliet.jid() + "/x-notes").then().statusCode(201);
        NodeCreated created = await("buddycloud.channels", "org.buddycloud.channel.node-created", juliet.jid(), NodeCreated.class);
        assertEquals("/user/" + juliet.jid() + "/x-notes", created.node());
        as(juliet).delete("/" + juliet.jid() + "/x-notes").then().statusCode(204);
        assertEquals(created.node(), await("buddycloud.channels", "org.buddycloud.channel.node-deleted", juliet.jid(), NodeDeleted.class).node());

        String topic = "fair-" + UUID.randomUUID().toString().substring(0, 6) + "@topics.localhost";
        as(juliet).post("/" + topic).then().statusCode(201);
        assertEquals(ChannelType.TOPIC, await("buddycloud.channels", "org.buddycloud.channel.created", topic, ChannelCreated.class).channelType());
        as(juliet).delete("/" + topic).then().statusCode(204);
        assertEquals(Jid.parse(juliet.jid()), await("buddycloud.channels", "org.buddycloud.channel.deleted", topic, ChannelDeleted.class).actor());
    }

    @Test
    void aReplyCarriesItsParentsAuthorTheMentionsAndTheAccessModel() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        as(juliet).body(Map.of(romeo.jid(), "publisher")).post("/" + juliet.jid() + "/subscribers/posts").then().statusCode(200);
        as(romeo).body(Map.of(juliet.jid() + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        String parent = as(juliet).body(Map.of("content", "Who is there?")).post("/" + juliet.jid() + "/content/posts")
                .then().statusCode(201).extract().path("id");
        as(romeo).body(Map.of("content", "It is I, and @" + juliet.jid() + " knows it", "replyTo", parent))
                .post("/" + juliet.jid() + "/content/posts").then().statusCode(201);
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.posts")) {
            PostPublished reply = (PostPublished) events.await(r -> r.key().equals(juliet.jid())
                    && r.event().data() instanceof PostPublished p && parent.equals(p.post().inReplyTo()), WAIT).event().data();
            assertEquals(Jid.parse(juliet.jid()), reply.post().parentAuthor());
            assertEquals(Jid.parse(romeo.jid()), reply.post().author());
            assertEquals(List.of(Jid.parse(juliet.jid())), reply.post().mentions());
            assertEquals(AccessModel.OPEN, reply.accessModel());
            assertTrue(reply.post().globalId().startsWith("tag:localhost,/user/" + juliet.jid() + "/posts,"));
            assertEquals("text", reply.post().contentType());
        }
    }

    @Test
    void postEventsCarryTitleRatingAndThePrivateAccessModel() {
        Login juliet = account("juliet");
        as(juliet).body(Map.of("access_model", "authorize")).post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        String path = "/" + juliet.jid() + "/content/posts";
        String parent = as(juliet).body(Map.of("title", "Balcony", "content", "Soft!")).post(path).then().statusCode(201).extract().path("id");
        as(juliet).body(Map.of("content", "4 of 5", "replyTo", parent, "rating", 4, "target", parent)).post(path).then().statusCode(201);
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.posts")) {
            PostPublished post = (PostPublished) events.await(r -> r.event().data() instanceof PostPublished p
                    && p.post().itemId().equals(parent), WAIT).event().data();
            assertEquals("Balcony", post.post().title());
            // consumers (search, push) apply the read rules from this alone
            assertEquals(AccessModel.AUTHORIZE, post.accessModel());
            PostPublished rating = (PostPublished) events.await(r -> r.event().data() instanceof PostPublished p
                    && parent.equals(p.post().inReplyTo()), WAIT).event().data();
            assertEquals(4, rating.post().rating());
            assertEquals(parent, rating.post().targetId());
        }
    }

    @Test
    void editsAndDeletionsAreAnnouncedOneEventPerPost() {
        Login juliet = account("juliet");
        String path = "/" + juliet.jid() + "/content/posts";
        String post = as(juliet).body(Map.of("content", "draft")).post(path).then().statusCode(201).extract().path("id");
        String reply = as(juliet).body(Map.of("content", "note", "replyTo", post)).post(path).then().statusCode(201).extract().path("id");
        as(juliet).body(Map.of("id", post, "content", "final")).post(path).then().statusCode(201);
        assertEquals("final", await("buddycloud.posts", "org.buddycloud.post.updated", juliet.jid(), PostUpdated.class).post().content());
        as(juliet).delete(path + "/" + post).then().statusCode(204);
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.posts")) {
            events.await(r -> r.event().data() instanceof PostRetracted p && p.itemId().equals(post), WAIT);
            List<String> retracted = events.within(r -> r.key().equals(juliet.jid()) && r.event().data() instanceof PostRetracted,
                    Duration.ofSeconds(1)).stream().map(r -> ((PostRetracted) r.event().data()).itemId()).toList();
            assertEquals(List.of(reply, post), retracted);
        }
    }

    @Test
    void membershipChangesCarryBothStatesAndTheAccessModel() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        as(juliet).body(Map.of("access_model", "authorize")).post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        as(romeo).body(Map.of(juliet.jid() + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        SubscriptionChanged pending = await("buddycloud.memberships", "org.buddycloud.membership.subscription-changed", juliet.jid(),
                SubscriptionChanged.class);
        assertEquals(Subscription.PENDING, pending.subscription());
        assertEquals(Subscription.NONE, pending.previous());
        assertEquals(AccessModel.AUTHORIZE, pending.accessModel());
        assertEquals(Jid.parse(romeo.jid()), pending.subscriber());
        as(juliet).body(Map.of(romeo.jid(), "outcast")).post("/" + juliet.jid() + "/subscribers/posts").then().statusCode(200);
        AffiliationChanged banned = await("buddycloud.memberships", "org.buddycloud.membership.affiliation-changed", juliet.jid(),
                AffiliationChanged.class);
        assertEquals(Affiliation.OUTCAST, banned.affiliation());
        assertEquals(Affiliation.NONE, banned.previous());
        assertEquals(Jid.parse(juliet.jid()), banned.actor());
        // the whole membership after the change, and who may read the node, without calling back
        assertEquals(Subscription.NONE, banned.subscription());
        assertEquals(AccessModel.AUTHORIZE, banned.accessModel());
    }

    @Test
    void aRefusedChangeIsNotAnnounced() {
        Login juliet = account("juliet");
        Login tybalt = account("tybalt");
        as(tybalt).body(Map.of("content", "intrusion")).post("/" + juliet.jid() + "/content/posts").then().statusCode(403);
        as(tybalt).body(Map.of("title", "Mine now")).post("/" + juliet.jid() + "/metadata/posts").then().statusCode(403);
        as(tybalt).body(Map.of(tybalt.jid(), "owner")).post("/" + juliet.jid() + "/subscribers/posts").then().statusCode(403);
        as(tybalt).delete("/" + juliet.jid()).then().statusCode(403);
        // then allowed changes: events keep their order per channel, so once these arrived, a refused one would have too
        as(juliet).body(Map.of("content", "sentinel")).post("/" + juliet.jid() + "/content/posts").then().statusCode(201);
        as(juliet).body(Map.of("title", "Still mine")).post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        as(tybalt).body(Map.of(juliet.jid() + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        try (KafkaEvents posts = new KafkaEvents(kafka, "buddycloud.posts");
             KafkaEvents channels = new KafkaEvents(kafka, "buddycloud.channels");
             KafkaEvents memberships = new KafkaEvents(kafka, "buddycloud.memberships")) {
            posts.await(r -> r.event().data() instanceof PostPublished p && p.post().content().equals("sentinel"), WAIT);
            channels.await(r -> r.event().data() instanceof ChannelConfigured c && "Still mine".equals(c.settings().title()), WAIT);
            memberships.await(r -> r.event().data() instanceof SubscriptionChanged c && c.subscriber().equals(Jid.parse(tybalt.jid())), WAIT);
            assertEquals(1, posts.within(r -> r.key().equals(juliet.jid()), Duration.ofMillis(200)).size(), "only the sentinel post");
            assertEquals(1, channels.within(r -> r.key().equals(juliet.jid()) && r.event().data() instanceof ChannelConfigured,
                    Duration.ofMillis(200)).size(), "only the owner's configuration");
            assertTrue(channels.within(r -> r.key().equals(juliet.jid()) && r.event().data() instanceof ChannelDeleted,
                    Duration.ofMillis(200)).isEmpty());
            assertTrue(memberships.within(r -> r.key().equals(juliet.jid()) && r.event().data() instanceof AffiliationChanged a
                    && a.jid().equals(Jid.parse(tybalt.jid())) && a.affiliation() == Affiliation.OWNER, Duration.ofMillis(200)).isEmpty());
        }
    }
}
