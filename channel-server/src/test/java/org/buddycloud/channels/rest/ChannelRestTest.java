package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** The channel REST API of PROTOCOL.md §2.2: each endpoint's answer and its refusals, JSON and Atom. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ChannelRestTest {

    private static final String ATOM = "application/atom+xml";

    private static Login account(String name) {
        return ChannelServerTest.client().newAccount(name);
    }

    private static RequestSpecification as(Login login) {
        return given().auth().oauth2(login.accessToken());
    }

    private static String publish(Login author, String channel, String node, Map<String, ?> post) {
        return as(author).contentType(ContentType.JSON).body(post).post("/" + channel + "/content/" + node)
                .then().statusCode(201).extract().path("id");
    }

    private static void makePrivate(Login owner) {
        as(owner).contentType(ContentType.JSON).body(Map.of("access_model", "authorize"))
                .post("/" + owner.jid() + "/metadata/posts").then().statusCode(200).body("access_model", equalTo("authorize"));
    }

    @Test
    void anyoneReadsAnOpenChannelAsJsonOrAtom() {
        Login juliet = account("juliet");
        String id = publish(juliet, juliet.jid(), "posts", Map.of("content", "Wherefore art thou?"));
        given().get("/" + juliet.jid() + "/content/posts").then().statusCode(200).contentType(ContentType.JSON)
                .header("X-RSM-Count", "1").header("X-RSM-First", id)
                .body("[0].id", equalTo(id)).body("[0].author", equalTo(juliet.jid()))
                .body("[0].content", equalTo("Wherefore art thou?")).body("[0].published", notNullValue());
        given().accept(ATOM).get("/" + juliet.jid() + "/content/posts").then().statusCode(200).contentType(ATOM)
                .body(startsWith("<feed xmlns=\"http://www.w3.org/2005/Atom\">"))
                .body(containsString("<id>tag:localhost,/user/" + juliet.jid() + "/posts," + id + "</id>"));
        given().accept("text/plain").get("/" + juliet.jid() + "/content/posts").then().statusCode(406)
                .contentType("application/problem+json");
        given().get("/" + juliet.jid() + "/content/" + id).then().statusCode(404);
        given().get("/nobody-" + UUID.randomUUID() + "@localhost/content/posts").then().statusCode(404)
                .body("condition", equalTo("item-not-found"));
        given().get("/not a jid/content/posts").then().statusCode(400);
    }

    @Test
    void publishingAnswersTheStoredPostWithItsLocation() {
        Login juliet = account("juliet");
        as(juliet).contentType(ContentType.JSON).body(Map.of("content", "Good night", "title", "Parting"))
                .post("/" + juliet.jid() + "/content/posts").then().statusCode(201)
                .header("Location", containsString("/" + juliet.jid() + "/content/posts/"))
                .body("author", equalTo(juliet.jid())).body("title", equalTo("Parting")).body("contentType", equalTo("text"));
        String atomEntry = "<entry xmlns='http://www.w3.org/2005/Atom'><content type='text'>From Atom</content></entry>";
        String id = as(juliet).contentType(ATOM).body(atomEntry).post("/" + juliet.jid() + "/content/posts")
                .then().statusCode(201).body("content", equalTo("From Atom")).extract().path("id");
        as(juliet).accept(ATOM).get("/" + juliet.jid() + "/content/posts/" + id).then().statusCode(200).contentType(ATOM)
                .body(containsString("<name>" + juliet.jid() + "</name>"));
        as(juliet).get("/" + juliet.jid() + "/content/posts/" + id).then().statusCode(200).body("content", equalTo("From Atom"));
    }

    @Test
    void publishesRacingForOneItemIdAreAnsweredNeverWithAServerError() throws Exception {
        Login juliet = account("juliet");
        String path = "/" + juliet.jid() + "/content/posts";
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String content = "take " + i;
                answers.add(pool.submit(() -> as(juliet).contentType(ContentType.JSON).body(Map.of("id", "balcony", "content", content))
                        .post(path).statusCode()));
            }
            for (var answer : answers) {
                // one creates it; the others edit it (the author's own post) or, caught mid-insert, hear 409
                assertTrue(List.of(200, 201, 409).contains(answer.get()), "status " + answer.get());
            }
        } finally {
            pool.shutdown();
        }
        as(juliet).get(path).then().statusCode(200).body("findAll { it.id == 'balcony' }", hasSize(1));
    }

    @Test
    void badPostsAreRefusedWithTheirCondition() {
        Login juliet = account("juliet");
        String path = "/" + juliet.jid() + "/content/posts";
        as(juliet).contentType(ContentType.JSON).body(Map.of("title", "no content")).post(path).then().statusCode(400)
                .body("appCondition", equalTo("content-element-required"));
        as(juliet).contentType(ContentType.JSON).body(Map.of("content", "x", "replyTo", "nothing")).post(path).then().statusCode(404)
                .body("appCondition", equalTo("parent-item-not-found"));
        as(juliet).contentType(ContentType.JSON).body(Map.of("content", "x", "contentType", "html")).post(path).then().statusCode(400)
                .body("appCondition", equalTo("unsupported-content-type"));
        as(juliet).contentType(ContentType.TEXT).body("hello").post(path).then().statusCode(415);
        as(juliet).contentType(ContentType.JSON).body(Map.of("content", "x".repeat(300_000))).post(path).then().statusCode(413);
        as(juliet).contentType(ATOM).body("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><entry xmlns='http://www.w3.org/2005/Atom'>"
                + "<content>&e;</content></entry>").post(path).then().statusCode(400);
        as(juliet).contentType(ContentType.JSON).body("{\"content\": ").post(path).then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("content", "anonymous")).post(path).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        as(account("tybalt")).contentType(ContentType.JSON).body(Map.of("content", "not mine to post")).post(path).then().statusCode(403);
    }

    @Test
    void repliesThreadsAndDeletion() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String channel = juliet.jid();
        as(juliet).contentType(ContentType.JSON).body(Map.of(romeo.jid(), "publisher")).post("/" + channel + "/subscribers/posts")
                .then().statusCode(200).body(romeo.jid(), equalTo("publisher"));
        as(romeo).contentType(ContentType.JSON).body(Map.of(channel + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        String post = publish(juliet, channel, "posts", Map.of("content", "thread"));
        String reply = publish(romeo, channel, "posts", Map.of("content", "reply", "replyTo", post));
        given().get("/" + channel + "/content/posts/" + post + "/replyto").then().statusCode(200)
                .body("id", equalTo(List.of(reply))).body("[0].replyTo", equalTo(post));
        given().get("/" + channel + "/content/posts/threads").then().statusCode(200)
                .body("[0].id", equalTo(post)).body("[0].items.id", equalTo(List.of(reply, post)));
        as(romeo).delete("/" + channel + "/content/posts/" + post).then().statusCode(403);
        given().delete("/" + channel + "/content/posts/" + post).then().statusCode(401);
        as(juliet).delete("/" + channel + "/content/posts/" + post).then().statusCode(204);
        given().get("/" + channel + "/content/posts/" + reply).then().statusCode(404);
        as(juliet).delete("/" + channel + "/content/posts/" + post).then().statusCode(404);
    }

    @Test
    void putReplacesTheStatus() {
        Login juliet = account("juliet");
        as(juliet).contentType(ContentType.JSON).body(Map.of("content", "sleepy")).put("/" + juliet.jid() + "/content/status").then().statusCode(201);
        as(juliet).contentType(ContentType.JSON).body(Map.of("content", "awake")).put("/" + juliet.jid() + "/content/status").then().statusCode(201);
        given().get("/" + juliet.jid() + "/content/status").then().statusCode(200).body("content", equalTo(List.of("awake")));
    }

    @Test
    void privateChannelsAnswer401Or403AndFollowingWaitsForApproval() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        makePrivate(juliet);
        String channel = juliet.jid();
        publish(juliet, channel, "posts", Map.of("content", "secret"));
        given().get("/" + channel + "/content/posts").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        as(romeo).get("/" + channel + "/content/posts").then().statusCode(403).body("appCondition", equalTo("closed-node"));
        given().get("/" + channel + "/metadata/posts").then().statusCode(200).body("access_model", equalTo("authorize"));
        as(romeo).contentType(ContentType.JSON).body(Map.of(channel + "/posts", "subscribed")).post("/subscribed")
                .then().statusCode(200).body(channel + "/posts", equalTo("pending"));
        as(romeo).get("/" + channel + "/content/posts").then().statusCode(403).body("appCondition", equalTo("pending-subscription"));
        as(romeo).get("/" + channel + "/subscribers/posts/approve").then().statusCode(403);
        as(juliet).get("/" + channel + "/subscribers/posts/approve").then().statusCode(200)
                .body("jid", equalTo(List.of(romeo.jid()))).body("[0].subscription", equalTo("pending"));
        as(juliet).contentType(ContentType.JSON).body(List.of(Map.of("jid", romeo.jid(), "subscription", "subscribed")))
                .post("/" + channel + "/subscribers/posts/approve").then().statusCode(200).body("[0].subscription", equalTo("subscribed"));
        as(romeo).get("/" + channel + "/content/posts").then().statusCode(200).body("content", equalTo(List.of("secret")));
        as(romeo).get("/subscribed").then().statusCode(200).body(channel + "/posts", equalTo("member"));
        given().get("/" + channel + "/content/geo/current").then().statusCode(401);
    }

    @Test
    void metadataChangesAreTheOwnersAndValidated() {
        Login juliet = account("juliet");
        String path = "/" + juliet.jid() + "/metadata/posts";
        as(juliet).contentType(ContentType.JSON).body(Map.of("title", "Balcony", "description", "Verona nights")).post(path)
                .then().statusCode(200).body("title", equalTo("Balcony")).body("channel_type", equalTo("personal"));
        given().get(path).then().statusCode(200).body("title", equalTo("Balcony")).body("creator", equalTo(juliet.jid()))
                .body("default_affiliation", equalTo("member"));
        as(account("tybalt")).contentType(ContentType.JSON).body(Map.of("title", "Mine")).post(path).then().statusCode(403);
        as(juliet).contentType(ContentType.JSON).body(Map.of("channel_type", "topic")).post(path).then().statusCode(400)
                .body("appCondition", equalTo("immutable-field"));
        as(juliet).contentType(ContentType.JSON).body(Map.of("access_model", "public")).post(path).then().statusCode(400);
        as(juliet).contentType(ContentType.JSON).body(Map.of("default_affiliation", "owner")).post(path).then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("title", "x")).post(path).then().statusCode(401);
    }

    @Test
    void followersAndAffiliations() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String channel = juliet.jid();
        as(romeo).contentType(ContentType.JSON).body(Map.of(channel + "/posts", "subscribed")).post("/subscribed")
                .then().statusCode(200).body(channel + "/posts", equalTo("member"));
        given().get("/" + channel + "/subscribers/posts").then().statusCode(200)
                .body(juliet.jid(), equalTo("owner")).body(romeo.jid(), equalTo("member"));
        as(juliet).contentType(ContentType.JSON).body(Map.of(romeo.jid(), "outcast")).post("/" + channel + "/subscribers/posts")
                .then().statusCode(200).body(romeo.jid(), equalTo("outcast"));
        given().get("/" + channel + "/subscribers/posts").then().statusCode(200).body("$", not(hasKey(romeo.jid())));
        as(romeo).get("/" + channel + "/content/posts").then().statusCode(403);
        as(juliet).contentType(ContentType.JSON).body(Map.of(romeo.jid(), "emperor")).post("/" + channel + "/subscribers/posts")
                .then().statusCode(400);
        as(juliet).contentType(ContentType.JSON).body(Map.of(juliet.jid(), "member")).post("/" + channel + "/subscribers/posts")
                .then().statusCode(403).body("appCondition", equalTo("can-not-modify-own-affiliation"));
        as(romeo).contentType(ContentType.JSON).body(Map.of("a", "b", "c", "d")).post("/subscribed").then().statusCode(400);
        given().get("/subscribed").then().statusCode(401);
        as(juliet).contentType(ContentType.JSON).body(Map.of(channel + "/posts", "none")).post("/subscribed").then().statusCode(409)
                .body("appCondition", equalTo("node-must-have-owner"));
    }

    @Test
    void aBatchOfChangesWithOneRefusedEntryChangesNothing() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        Login tybalt = account("tybalt");
        String channel = juliet.jid();
        makePrivate(juliet);
        as(romeo).contentType(ContentType.JSON).body(Map.of(channel + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        // romeo's promotion comes first, the owner's own demotion is refused: neither may stay
        Map<String, String> affiliations = new java.util.LinkedHashMap<>();
        affiliations.put(tybalt.jid(), "outcast");
        affiliations.put(juliet.jid(), "member");
        as(juliet).contentType(ContentType.JSON).body(affiliations).post("/" + channel + "/subscribers/posts")
                .then().statusCode(403).body("appCondition", equalTo("can-not-modify-own-affiliation"));
        as(juliet).get("/" + channel + "/subscribers/posts").then().statusCode(200)
                .body("$", not(hasKey(tybalt.jid()))).body(juliet.jid(), equalTo("owner"));
        // an approval batch whose second entry is malformed leaves the request pending
        as(juliet).contentType(ContentType.JSON)
                .body(List.of(Map.of("jid", romeo.jid(), "subscription", "subscribed"), Map.of("jid", tybalt.jid(), "subscription", "emperor")))
                .post("/" + channel + "/subscribers/posts/approve").then().statusCode(400);
        as(juliet).contentType(ContentType.JSON)
                .body(List.of(Map.of("jid", romeo.jid(), "subscription", "subscribed"), Map.of("jid", juliet.jid(), "subscription", "none")))
                .post("/" + channel + "/subscribers/posts/approve").then().statusCode(403);
        as(juliet).get("/" + channel + "/subscribers/posts/approve").then().statusCode(200)
                .body("[0].jid", equalTo(romeo.jid())).body("[0].subscription", equalTo("pending"));
        as(romeo).get("/" + channel + "/content/posts").then().statusCode(403);
    }

    @Test
    void topicChannelsAndAppNodes() {
        Login juliet = account("juliet");
        String topic = "verona-" + UUID.randomUUID().toString().substring(0, 6) + "@topics.localhost";
        as(juliet).post("/" + topic).then().statusCode(201).header("Location", containsString("/" + topic + "/metadata/posts"));
        as(juliet).post("/" + topic).then().statusCode(409);
        as(juliet).post("/other@localhost").then().statusCode(400);
        given().post("/" + topic).then().statusCode(401);
        given().get("/" + topic + "/metadata/posts").then().statusCode(200).body("channel_type", equalTo("topic"))
                .body("default_affiliation", equalTo("publisher"));
        as(account("tybalt")).delete("/" + topic).then().statusCode(403);
        as(juliet).delete("/" + topic).then().statusCode(204);
        given().get("/" + topic + "/metadata/posts").then().statusCode(404);
        String tryst = "tryst-" + UUID.randomUUID().toString().substring(0, 6) + "@topics.localhost";
        as(juliet).queryParam("ephemeral", true).post("/" + tryst).then().statusCode(201);
        given().get("/" + tryst + "/metadata/posts").then().statusCode(200).body("ephemeral", equalTo(true));
        as(juliet).delete("/" + tryst).then().statusCode(405).body("appCondition", equalTo("can-not-delete-ephemeral-node"));
        as(juliet).contentType(ContentType.JSON).body(Map.of("ephemeral", false)).post("/" + tryst + "/metadata/posts")
                .then().statusCode(400).body("appCondition", equalTo("immutable-field"));

        as(juliet).post("/" + juliet.jid() + "/x-chess-moves").then().statusCode(201);
        as(juliet).post("/" + juliet.jid() + "/x-chess-moves").then().statusCode(409);
        publish(juliet, juliet.jid(), "x-chess-moves", Map.of("content", "e2-e4"));
        as(juliet).delete("/" + juliet.jid() + "/x-chess-moves").then().statusCode(204);
        given().get("/" + juliet.jid() + "/content/x-chess-moves").then().statusCode(404);
        as(juliet).delete("/" + juliet.jid() + "/status").then().statusCode(405);
    }

    @Test
    void syncTellsWhatHappenedInFollowedChannels() {
        Login reader = account("reader");
        Login juliet = account("juliet");
        String since = Instant.now().minusSeconds(5).toString();
        as(reader).contentType(ContentType.JSON).body(Map.of(juliet.jid() + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        publish(juliet, juliet.jid(), "posts", Map.of("content", "hello " + reader.jid()));
        publish(juliet, juliet.jid(), "posts", Map.of("content", "hello world"));
        String node = "/user/" + juliet.jid() + "/posts";
        as(reader).queryParam("since", since).get("/sync").then().statusCode(200).body("'" + node + "'", hasSize(2));
        as(reader).queryParam("since", since).queryParam("summary", true).get("/sync").then().statusCode(200)
                .body("'" + node + "'.totalCount", equalTo(2)).body("'" + node + "'.mentionsCount", equalTo(1));
        as(reader).queryParam("since", since).queryParam("max", 1).get("/sync").then().statusCode(200).body("'" + node + "'", hasSize(1));
        // a longer JID containing the reader's is no mention; a summary counts beyond the default page of 10
        publish(juliet, juliet.jid(), "posts", Map.of("content", "hello x" + reader.jid()));
        for (int i = 0; i < 10; i++) {
            publish(juliet, juliet.jid(), "posts", Map.of("content", "line " + i));
        }
        as(reader).queryParam("since", since).queryParam("summary", true).get("/sync").then().statusCode(200)
                .body("'" + node + "'.totalCount", equalTo(13)).body("'" + node + "'.mentionsCount", equalTo(1));
        as(reader).get("/sync").then().statusCode(400).body("appCondition", equalTo("since-required"));
        as(reader).queryParam("since", "yesterday").get("/sync").then().statusCode(400)
                .body("appCondition", equalTo("invalid-since-value-provided"));
        given().queryParam("since", since).get("/sync").then().statusCode(401);
    }

    @Test
    void theFirehoseAndTheSubscriptionsNodeShowWhatMayBeSeen() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String open = publish(juliet, juliet.jid(), "posts", Map.of("content", "open to all"));
        makePrivate(romeo);
        String hidden = publish(romeo, romeo.jid(), "posts", Map.of("content", "kept close"));
        given().queryParam("max", 200).get("/firehose").then().statusCode(200)
                .body("post.id", hasItem(open)).body("post.id", not(hasItem(hidden)));
        as(romeo).queryParam("max", 200).get("/firehose").then().statusCode(200).body("post.id", hasItem(hidden));
        as(juliet).contentType(ContentType.JSON).body(Map.of(romeo.jid() + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        as(juliet).contentType(ContentType.JSON).body(Map.of(account("nurse").jid() + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        given().get("/" + juliet.jid() + "/content/subscriptions").then().statusCode(200).body("id", hasSize(1));
        // once approved, juliet's following of romeo's private channel shows only to who may read that channel
        as(romeo).contentType(ContentType.JSON).body(List.of(Map.of("jid", juliet.jid(), "subscription", "subscribed")))
                .post("/" + romeo.jid() + "/subscribers/posts/approve").then().statusCode(200);
        as(juliet).get("/" + juliet.jid() + "/content/subscriptions").then().statusCode(200).body("id", hasSize(2));
        as(romeo).get("/" + juliet.jid() + "/content/subscriptions").then().statusCode(200).body("id", hasSize(2));
        given().get("/" + juliet.jid() + "/content/subscriptions").then().statusCode(200).body("id", hasSize(1));
        as(account("tybalt")).get("/" + juliet.jid() + "/content/subscriptions").then().statusCode(200).body("id", hasSize(1));
    }
}
