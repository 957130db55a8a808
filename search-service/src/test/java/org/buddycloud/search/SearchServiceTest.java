package org.buddycloud.search;

import static org.awaitility.Awaitility.await;
import static org.buddycloud.search.SearchTestSupport.DEADLINE;
import static org.buddycloud.search.SearchTestSupport.account;
import static org.buddycloud.search.SearchTestSupport.approve;
import static org.buddycloud.search.SearchTestSupport.configure;
import static org.buddycloud.search.SearchTestSupport.createTopic;
import static org.buddycloud.search.SearchTestSupport.deleteAccount;
import static org.buddycloud.search.SearchTestSupport.follow;
import static org.buddycloud.search.SearchTestSupport.found;
import static org.buddycloud.search.SearchTestSupport.post;
import static org.buddycloud.search.SearchTestSupport.retract;
import static org.buddycloud.search.SearchTestSupport.search;
import static org.buddycloud.search.SearchTestSupport.smack;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.search.events.IndexFeed;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.form.FillableConfigureForm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * From posts and configurations made on the real channel server, over REST and over XMPP, through Kafka into the
 * index, to hits over the search API: who may find what, deletions, the directory, nearby, most active, a rebuild
 * from the topics, and refusals of bad input.
 */
@QuarkusTest
@WithTestResource(SearchTestStack.class)
@WithTestResource(PostgresTestResource.class)
class SearchServiceTest {

    @Inject
    IndexFeed feed;

    @BeforeEach
    void ready() {
        SearchTestSupport.awaitReady();
    }

    /** A word no other test uses, so that tests sharing the index do not see each other's posts. */
    private static String word() {
        return "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void postsMadeOverRestAndXmppAreFoundWithHighlights() throws Exception {
        Login juliet = account("juliet");
        String word = word();
        String byRest = post(juliet, juliet.jid(), "Wherefore art thou " + word + "?");
        XMPPTCPConnection xmpp = smack(juliet);
        try {
            PubSubManager.getInstanceFor(xmpp, JidCreate.bareFrom("channels.localhost"))
                    .getLeafNode("/user/" + juliet.jid() + "/posts")
                    .publish(new PayloadItem<>("by-xmpp-" + word, new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'>"
                            + "<content type='text'>a rose by any other " + word + "</content></entry>")));
        } finally {
            xmpp.disconnect();
        }
        await().atMost(DEADLINE).until(() -> found(null, word).size() == 2);
        assertEquals(List.of(byRest), found(null, "wherefore " + word));
        assertEquals(List.of("by-xmpp-" + word), found(null, "\"any other " + word + "\""));
        JsonPath hit = search(null, Map.of("type", "content", "q", "rose " + word)).then().statusCode(200)
                .body("rsm.count", equalTo(1)).body("rsm.index", equalTo(0))
                .body("items[0].author", equalTo(juliet.jid())).body("items[0].channel", equalTo(juliet.jid()))
                .body("items[0].node", equalTo("/user/" + juliet.jid() + "/posts"))
                .extract().jsonPath();
        assertTrue(hit.getString("items[0].highlights[0]").contains("<em>" + word + "</em>"), hit.prettify());
        search(null, Map.of("type", "content", "q", word, "author", juliet.jid(), "order", "newest", "max", "1", "index", "1"))
                .then().statusCode(200).body("rsm.count", equalTo(2)).body("rsm.index", equalTo(1))
                .body("items.id", equalTo(List.of(byRest)));
    }

    @Test
    void aPrivateChannelIsFoundOnlyByThoseItLetsRead() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        Login nurse = account("nurse");
        configure(juliet, juliet.jid(), Map.of("access_model", "authorize"));
        String word = word();
        String secret = post(juliet, juliet.jid(), "meet me at the balcony " + word);
        await().atMost(DEADLINE).until(() -> found(juliet, word).equals(List.of(secret)));
        follow(romeo, juliet.jid());          // pending: not yet
        assertEquals(List.of(), found(null, word), "anonymous");
        assertEquals(List.of(), found(nurse, word), "a stranger");
        assertEquals(List.of(), found(romeo, word), "a request waiting for approval");
        approve(juliet, romeo.jid());
        await().atMost(DEADLINE).until(() -> found(romeo, word).equals(List.of(secret)));
        search(romeo, Map.of("type", "content", "q", word, "followed", "true")).then().statusCode(200)
                .body("items.id", equalTo(List.of(secret)));
        search(nurse, Map.of("type", "content", "q", word, "followed", "true")).then().statusCode(200)
                .body("items.id", equalTo(List.of()));
        configure(juliet, juliet.jid(), Map.of("access_model", "open"));
        await().atMost(DEADLINE).until(() -> found(null, word).equals(List.of(secret)));
    }

    @Test
    void retractedPostsAndDeletedAccountsLeaveTheIndexWithinSeconds() {
        Login tybalt = account("tybalt");
        Login mercutio = account("mercutio");
        String word = word();
        String first = post(tybalt, tybalt.jid(), "a plague on both your houses " + word);
        String second = post(tybalt, tybalt.jid(), "good king of cats " + word);
        post(mercutio, mercutio.jid(), "a scratch, a scratch " + word);
        await().atMost(DEADLINE).until(() -> found(null, word).size() == 3);
        retract(tybalt, tybalt.jid(), first);
        await().atMost(DEADLINE).until(() -> found(null, word).size() == 2);
        assertTrue(found(null, word).contains(second));
        deleteAccount(mercutio);
        await().atMost(DEADLINE).until(() -> found(null, word).equals(List.of(second)));
    }

    @Test
    void theDirectoryNearbyAndMostActiveOverRest() throws Exception {
        Login owner = account("capulet");
        String word = word();
        String topic = word + "@topics.localhost";
        createTopic(owner, topic);
        configure(owner, topic, Map.of("title", "Fair " + word, "description", "where we lay our scene"));
        XMPPTCPConnection xmpp = smack(owner);
        try {
            LeafNode node = PubSubManager.getInstanceFor(xmpp, JidCreate.bareFrom("channels.localhost")).getLeafNode("/user/" + topic + "/posts");
            FillableConfigureForm form = node.getNodeConfiguration().getFillableForm();
            form.setAnswer("x-buddycloud#geoloc-lat", "45.4384");
            form.setAnswer("x-buddycloud#geoloc-lon", "10.9916");
            form.setAnswer("x-buddycloud#geoloc-text", "Verona");
            node.sendConfigurationForm(form);
        } finally {
            xmpp.disconnect();
        }
        for (int i = 0; i < 3; i++) {
            post(owner, topic, "news " + i);
        }
        await().atMost(DEADLINE).until(() -> search(null, Map.of("type", "metadata", "q", word)).jsonPath().getList("items.jid").contains(topic)
                && search(null, Map.of("type", "metadata", "q", word)).jsonPath().getString("items[0].geoloc.text") != null);
        search(null, Map.of("type", "metadata", "q", "\"fair " + word + "\"")).then().statusCode(200)
                .body("items[0].jid", equalTo(topic)).body("items[0].title", equalTo("Fair " + word))
                .body("items[0].channel_type", equalTo("topic")).body("items[0].owner", equalTo(owner.jid()))
                .body("items[0].highlights[0]", containsString(word + "</em>"));
        io.restassured.RestAssured.given().queryParams(Map.of("lat", "45.44", "lon", "10.99", "radius", "5")).get("/search/nearby")
                .then().statusCode(200).body("items.jid", hasItem(topic)).body("items[0].geoloc.text", equalTo("Verona"));
        await().atMost(DEADLINE).until(() -> io.restassured.RestAssured.given().queryParams(Map.of("period", "1", "domain", "topics.localhost", "max", "100"))
                .get("/search/most_active").jsonPath().getList("items.jid").contains(topic));
        io.restassured.RestAssured.given().queryParams(Map.of("period", "1", "domain", "topics.localhost", "max", "100"))
                .get("/search/most_active").then().statusCode(200)
                .body("items.find { it.jid == '" + topic + "' }.posts", equalTo(3));
    }

    @Test
    void anEmptiedIndexRebuildsItselfFromTheTopics() {
        Login juliet = account("juliet");
        String word = word();
        String id = post(juliet, juliet.jid(), "parting is such sweet sorrow " + word);
        await().atMost(DEADLINE).until(() -> found(null, word).equals(List.of(id)));
        feed.rebuild();
        post(juliet, juliet.jid(), "a nudge, so that the consumer runs " + word());
        await().atMost(DEADLINE).until(() -> found(null, word).equals(List.of(id)));
        // readiness measures the consumer's lag every few seconds: found again does not mean measured again yet
        await().atMost(DEADLINE).until(() -> io.restassured.RestAssured.given().get("/q/health/ready").statusCode() == 200);
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'search' }.data.engine", equalTo("lucene"));
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'search index' }.status", equalTo("UP"));
    }

    @Test
    void badInputIsRefusedWithAReason() {
        Map<Map<String, String>, String> refusals = Map.of(
                Map.of("q", "x"), "type=content",
                Map.of("type", "posts", "q", "x"), "type is content or metadata",
                Map.of("type", "content"), "say what to search for",
                Map.of("type", "content", "q", "* ?"), "letter or digit",
                Map.of("type", "content", "q", "x".repeat(300)), "at most 256",
                Map.of("type", "content", "q", "x", "max", "1000"), "max must lie",
                Map.of("type", "content", "q", "x", "index", "-1"), "index must lie",
                Map.of("type", "content", "q", "x", "max", "lots"), "whole number",
                Map.of("type", "content", "q", "x", "author", "not a jid@"), "author",
                Map.of("type", "content", "q", "x", "index", "9950", "max", "100"), "index must lie");
        refusals.forEach((params, reason) -> search(null, params).then().statusCode(400)
                .contentType(containsString("json")).body("detail", containsString(reason)));
        search(null, Map.of("type", "content", "q", "x", "followed", "true")).then().statusCode(401);
        search(null, Map.of("type", "content", "q", "x", "followed", "yes")).then().statusCode(400);
        io.restassured.RestAssured.given().queryParams(Map.of("lat", "91", "lon", "0")).get("/search/nearby").then().statusCode(400)
                .body("detail", containsString("lat must lie"));
        io.restassured.RestAssured.given().queryParams(Map.of("lat", "abc", "lon", "0")).get("/search/nearby").then().statusCode(400);
        io.restassured.RestAssured.given().queryParams(Map.of("lat", "1", "lon", "1", "radius", "0")).get("/search/nearby").then().statusCode(400);
        io.restassured.RestAssured.given().queryParams(Map.of("period", "0")).get("/search/most_active").then().statusCode(400);
        io.restassured.RestAssured.given().queryParams(Map.of("domain", "a@b")).get("/search/most_active").then().statusCode(400);
        io.restassured.RestAssured.given().auth().oauth2("not-a-token").queryParams(Map.of("type", "content", "q", "x"))
                .get("/search").then().statusCode(401);
    }
}
