package org.buddycloud.media.readmodel;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.localstack.testing.ChannelServerClient;
import org.buddycloud.localstack.testing.ChannelServerClient.Login;
import org.buddycloud.localstack.testing.PostgresTestResource;
import org.buddycloud.localstack.testing.S3TestResource;
import org.buddycloud.localstack.testing.ServiceTestStack;
import org.buddycloud.media.domain.Member;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The media server learns channel permissions from the real channel server's events: creation,
 * a private channel, a follow request approved, a ban — and rebuilds all of it from the topics.
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

    private static String channelServer() {
        return ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class);
    }

    private void awaitMember(Jid channel, Jid jid, Affiliation affiliation, Subscription subscription) {
        await().atMost(DEADLINE).until(() -> store.member(channel, jid), m -> m.equals(new Member(affiliation, subscription)));
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
        await().atMost(DEADLINE).until(() -> store.member(channel, romeoJid).affiliation() == Affiliation.OUTCAST);

        model.rebuild();
        await().atMost(DEADLINE).until(() -> store.member(channel, romeoJid).affiliation() == Affiliation.OUTCAST
                && store.accessModel(channel).equals(Optional.of(AccessModel.AUTHORIZE)));
        assertEquals(Affiliation.OWNER, store.member(channel, channel).affiliation(), "rebuilt from the beginning of the topics");
    }
}
