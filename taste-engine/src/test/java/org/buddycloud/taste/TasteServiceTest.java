package org.buddycloud.taste;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * From follows, configurations and posts made on the real channel server, through Kafka into the taste engine's graph,
 * to suggestions over its REST API: co-following, privacy of private channels, updates as people follow and leave,
 * most active, and refusals of bad input.
 */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
class TasteServiceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ChannelServerClient channels = new ChannelServerClient(
            ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class));

    /** Two open topic channels followed by the same three gardeners, and a private one they are all members of. */
    private record Garden(Login owner, String roses, String tulips, String secrets) {
    }

    @BeforeEach
    void ready() {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    private Garden garden() {
        String word = "g" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Login owner = channels.newAccount("owner");
        Garden garden = new Garden(owner, word + "-roses@topics.localhost", word + "-tulips@topics.localhost", owner.jid());
        channels.createTopic(owner, garden.roses());
        channels.createTopic(owner, garden.tulips());
        channels.configure(owner, garden.secrets(), Map.of("access_model", "authorize"));
        for (int i = 0; i < 3; i++) {
            Login gardener = channels.newAccount("gardener");
            channels.follow(gardener, garden.roses());
            channels.follow(gardener, garden.tulips());
            channels.follow(gardener, garden.secrets());
            channels.approve(owner, garden.secrets(), gardener.jid());
        }
        return garden;
    }

    @Test
    void aNewcomerIsRecommendedWhatTheFollowersOfTheirChannelsFollowAndNeverThePrivateOne() {
        Garden garden = garden();
        Login ivy = channels.newAccount("ivy");
        channels.follow(ivy, garden.roses());
        await().atMost(DEADLINE).until(() -> coFollowed(recommendations(ivy, Map.of("user", ivy.jid()))).contains(garden.tulips()));
        JsonPath asThemselves = recommendations(ivy, Map.of()).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(garden.tulips()), coFollowed(asThemselves));
        assertFalse(asThemselves.getList("items.jid").contains(garden.secrets()), "a private channel is never suggested");
        assertFalse(asThemselves.getList("items.jid").contains(garden.roses()), "what they follow is not suggested");
        assertEquals("channel", asThemselves.getString("items[0].type"));
        assertEquals("co-followed", asThemselves.getString("items[0].reason"));
    }

    @Test
    void similarChannelsComeFromSharedFollowersButAPrivateChannelHasNone() {
        Garden garden = garden();
        await().atMost(DEADLINE).until(() -> given().get("/" + garden.roses() + "/similar").jsonPath().getList("items.jid")
                .contains(garden.tulips()));
        given().get("/" + garden.roses() + "/similar").then().statusCode(200)
                .body("items.jid", equalTo(List.of(garden.tulips()))).body("rsm.count", equalTo(1));
        given().auth().oauth2(garden.owner().accessToken()).get("/" + garden.secrets() + "/similar").then().statusCode(200)
                .body("items", empty());
    }

    @Test
    void leavingAChannelChangesTheNextRecommendations() {
        Garden garden = garden();
        Login ivy = channels.newAccount("ivy");
        channels.follow(ivy, garden.roses());
        await().atMost(DEADLINE).until(() -> coFollowed(recommendations(ivy, Map.of())).contains(garden.tulips()));
        channels.unfollow(ivy, garden.roses());
        await().atMost(DEADLINE).until(() -> !coFollowed(recommendations(ivy, Map.of())).contains(garden.tulips()));
    }

    @Test
    void anOwnersDeletedAccountTakesTheirTopicChannelsOutOfEveryAnswer() {
        Garden garden = garden();
        Login ivy = channels.newAccount("ivy");
        channels.follow(ivy, garden.roses());
        await().atMost(DEADLINE).until(() -> coFollowed(recommendations(ivy, Map.of())).contains(garden.tulips()));
        channels.deleteAccount(garden.owner());
        await().atMost(DEADLINE).until(() -> !recommendations(ivy, Map.of("max", "100")).jsonPath().getList("items.jid")
                .contains(garden.tulips()));
        given().get("/" + garden.roses() + "/similar").then().statusCode(200).body("items", empty());
    }

    @Test
    void somebodyWhoFollowsNothingIsShownTheMostActiveChannels() {
        Login owner = channels.newAccount("busy");
        String busy = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "@topics.localhost";
        channels.createTopic(owner, busy);
        for (int i = 0; i < 3; i++) {
            channels.post(owner, busy, "news " + i);
        }
        await().atMost(DEADLINE).until(() -> given().queryParams(Map.of("domain", "topics.localhost", "max", "100"))
                .get("/most_active").jsonPath().getList("items.jid").contains(busy));
        JsonPath active = given().queryParams(Map.of("domain", "topics.localhost", "max", "100")).get("/most_active").jsonPath();
        int at = active.getList("items.jid").indexOf(busy);
        assertEquals(3, active.getInt("items[" + at + "].posts"));
        assertEquals("most-active", active.getString("items[" + at + "].reason"));

        Login newcomer = channels.newAccount("newcomer");
        await().atMost(DEADLINE).until(() -> recommendations(newcomer, Map.of("max", "100")).jsonPath().getList("items.jid").contains(busy));
        assertEquals(List.of(), coFollowed(recommendations(newcomer, Map.of("max", "100")).jsonPath()));
    }

    @Test
    void unknownUsersAndChannelsGetAnEmptyList() {
        given().queryParam("user", "nobody-" + UUID.randomUUID() + "@localhost").get("/recommendations").then().statusCode(200)
                .body("items", empty()).body("rsm.count", equalTo(0));
        given().get("/nothing-" + UUID.randomUUID() + "@topics.localhost/similar").then().statusCode(200).body("items", empty());
    }

    @Test
    void badInputIsRefusedWithAProblem() {
        given().get("/recommendations").then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("name the user"));
        given().queryParam("user", "not a jid").get("/recommendations").then().statusCode(400)
                .contentType("application/problem+json");
        given().queryParams(Map.of("user", "juliet@localhost", "max", "lots")).get("/recommendations").then().statusCode(400)
                .body("detail", containsString("max"));
        given().queryParams(Map.of("user", "juliet@localhost", "max", "1000")).get("/recommendations").then().statusCode(400);
        given().queryParam("period", "99").get("/most_active").then().statusCode(400).body("detail", containsString("period"));
        given().queryParam("domain", "a@b").get("/most_active").then().statusCode(400);
        given().get("/localhost/similar").then().statusCode(400).body("detail", containsString("bare JID"));
    }

    private static io.restassured.response.Response recommendations(Login who, Map<String, ?> params) {
        return given().auth().oauth2(who.accessToken()).queryParams(params).get("/recommendations");
    }

    private static List<String> coFollowed(io.restassured.response.Response answer) {
        return coFollowed(answer.then().statusCode(200).extract().jsonPath());
    }

    private static List<String> coFollowed(JsonPath answer) {
        List<String> jids = answer.getList("items.jid");
        List<String> reasons = answer.getList("items.reason");
        return java.util.stream.IntStream.range(0, jids.size()).filter(i -> reasons.get(i).equals("co-followed"))
                .mapToObj(jids::get).toList();
    }
}
