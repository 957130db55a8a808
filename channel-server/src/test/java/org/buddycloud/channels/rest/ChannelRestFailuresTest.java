package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.blankOrNullString;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The refusals of the channel REST API (PROTOCOL.md §2.2, decision 9), one row per endpoint and
 * reason: each answers its status with a problem+json body naming the condition. Rows run against
 * one private channel: {owner} is its owner, {post} a post in it, {node} an app node of it, {nobody}
 * a channel that does not exist; a stranger neither follows nor is affiliated.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ChannelRestFailuresTest {

    private static final String ATOM = "application/atom+xml";
    private static final String PROBLEM = "application/problem+json";
    private static final Map<String, String> A_POST = Map.of("content", "Wherefore art thou?");
    private static final String AN_ENTRY = "<entry xmlns='http://www.w3.org/2005/Atom'><content type='text'>On the balcony</content></entry>";

    /** Who sends a row's request, and how. */
    private enum Who { ANONYMOUS, OWNER, STRANGER, OWNER_BASIC, STRANGER_BASIC, WRONG_PASSWORD }

    /** One refused request: {@code "METHOD /path"} with an optional body, and the problem it must answer. */
    private record Refusal(Who who, String request, String contentType, Object body, int status, String condition,
                           String appCondition) {

        Refusal with(String type, Object content) {
            return new Refusal(who, request, type, content, status, condition, appCondition);
        }

        Refusal because(String app) {
            return new Refusal(who, request, contentType, body, status, condition, app);
        }

        String name() {
            return request + " as " + who + " → " + status + " " + condition + (appCondition == null ? "" : "/" + appCondition);
        }
    }

    private static Refusal refused(Who who, String request, int status, String condition) {
        return new Refusal(who, request, null, null, status, condition, null);
    }

    private static final List<Refusal> REFUSALS = List.of(
            // PUT /{channel}/content/{node}: replacing the newest post
            refused(Who.ANONYMOUS, "PUT /{owner}/content/status", 401, "not-authorized").with("application/json", A_POST),
            refused(Who.STRANGER, "PUT /{owner}/content/status", 403, "forbidden").with("application/json", A_POST),
            refused(Who.OWNER, "PUT /{owner}/content/status", 415, "unsupported-media-type").with("text/plain", "awake"),
            refused(Who.OWNER, "PUT /{owner}/content/x-nothing", 404, "item-not-found").with("application/json", A_POST),
            // one post of a private channel
            refused(Who.ANONYMOUS, "GET /{owner}/content/posts/{post}", 401, "not-authorized"),
            refused(Who.STRANGER, "GET /{owner}/content/posts/{post}", 403, "forbidden").because("closed-node"),
            // its replies and threads
            refused(Who.ANONYMOUS, "GET /{owner}/content/posts/{post}/replyto", 401, "not-authorized"),
            refused(Who.STRANGER, "GET /{owner}/content/posts/{post}/replyto", 403, "forbidden").because("closed-node"),
            refused(Who.OWNER, "GET /{owner}/content/posts/no-such-post/replyto", 404, "item-not-found"),
            refused(Who.OWNER, "GET /{owner}/content/x-nothing/{post}/replyto", 404, "item-not-found"),
            refused(Who.ANONYMOUS, "GET /{owner}/content/posts/threads", 401, "not-authorized"),
            refused(Who.STRANGER, "GET /{owner}/content/posts/threads", 403, "forbidden").because("closed-node"),
            refused(Who.OWNER, "GET /{owner}/content/x-nothing/threads", 404, "item-not-found"),
            refused(Who.OWNER, "GET /{owner}/content/posts/threads?after=no-such-post", 404, "item-not-found"),
            // metadata
            refused(Who.ANONYMOUS, "GET /{nobody}/metadata/posts", 404, "item-not-found"),
            refused(Who.OWNER, "POST /{owner}/metadata/x-nothing", 404, "item-not-found").with("application/json", Map.of("title", "x")),
            refused(Who.OWNER, "POST /{nobody}/metadata/posts", 404, "item-not-found").with("application/json", Map.of("title", "x")),
            refused(Who.OWNER, "POST /{owner}/metadata/posts", 415, "unsupported-media-type").with("text/plain", "title=x"),
            // followers and affiliations
            refused(Who.ANONYMOUS, "GET /{owner}/subscribers/posts", 401, "not-authorized"),
            refused(Who.STRANGER, "GET /{owner}/subscribers/posts", 403, "forbidden").because("closed-node"),
            refused(Who.ANONYMOUS, "GET /{nobody}/subscribers/posts", 404, "item-not-found"),
            refused(Who.ANONYMOUS, "POST /{owner}/subscribers/posts", 401, "not-authorized")
                    .with("application/json", Map.of("tybalt@localhost", "member")),
            refused(Who.STRANGER, "POST /{owner}/subscribers/posts", 403, "forbidden")
                    .with("application/json", Map.of("tybalt@localhost", "member")),
            // follow requests
            refused(Who.ANONYMOUS, "GET /{owner}/subscribers/posts/approve", 401, "not-authorized"),
            refused(Who.ANONYMOUS, "POST /{owner}/subscribers/posts/approve", 401, "not-authorized")
                    .with("application/json", List.of(Map.of("jid", "tybalt@localhost", "subscription", "subscribed"))),
            refused(Who.STRANGER, "POST /{owner}/subscribers/posts/approve", 403, "forbidden")
                    .with("application/json", List.of(Map.of("jid", "tybalt@localhost", "subscription", "subscribed"))),
            refused(Who.OWNER, "POST /{owner}/subscribers/posts/approve", 400, "bad-request")
                    .with("application/json", List.of(Map.of("jid", "tybalt@localhost"))),
            refused(Who.OWNER, "POST /{owner}/subscribers/posts/approve", 400, "bad-request").because("invalid-jid")
                    .with("application/json", List.of(Map.of("jid", "not a jid", "subscription", "subscribed"))),
            // the caller's follows
            refused(Who.ANONYMOUS, "POST /subscribed", 401, "not-authorized").with("application/json", Map.of("{owner}/posts", "subscribed")),
            // channels and app nodes
            refused(Who.ANONYMOUS, "DELETE /{owner}", 401, "not-authorized"),
            refused(Who.STRANGER, "DELETE /{owner}", 403, "forbidden"),
            refused(Who.OWNER, "DELETE /{nobody}", 404, "item-not-found"),
            refused(Who.ANONYMOUS, "POST /{owner}/x-new", 401, "not-authorized"),
            refused(Who.STRANGER, "POST /{owner}/x-new", 403, "forbidden"),
            refused(Who.OWNER, "POST /{owner}/content", 400, "bad-request").because("invalid-node-format"),
            refused(Who.OWNER, "POST /{owner}/threads", 400, "bad-request").because("invalid-node-format"),
            refused(Who.OWNER, "POST /{owner}/{node}", 409, "conflict"),
            refused(Who.ANONYMOUS, "DELETE /{owner}/{node}", 401, "not-authorized"),
            refused(Who.STRANGER, "DELETE /{owner}/{node}", 403, "forbidden"),
            // a reserved name can never be a node, so there is none to delete
            refused(Who.OWNER, "DELETE /{owner}/content", 404, "item-not-found"),
            refused(Who.OWNER, "DELETE /{owner}/status", 405, "not-allowed"),
            // the same refusals for callers who log in with HTTP Basic
            refused(Who.STRANGER_BASIC, "GET /{owner}/content/posts", 403, "forbidden").because("closed-node"),
            refused(Who.STRANGER_BASIC, "POST /{owner}/subscribers/posts", 403, "forbidden")
                    .with("application/json", Map.of("tybalt@localhost", "member")),
            refused(Who.OWNER_BASIC, "POST /{owner}/content", 400, "bad-request").because("invalid-node-format"),
            refused(Who.WRONG_PASSWORD, "GET /{owner}/content/posts", 401, "not-authorized"),
            refused(Who.WRONG_PASSWORD, "GET /{nobody}/metadata/posts", 401, "not-authorized"));

    /** Rows by name: the parameters are names so that nothing but a string crosses into the test. */
    private static final Map<String, Refusal> BY_NAME = new LinkedHashMap<>();

    static {
        REFUSALS.forEach(r -> BY_NAME.put(r.name() + (r.body() == null ? "" : " " + r.body()), r));
    }

    /** The private channel the rows run against, made on first use and shared by the rows. */
    private record Fixture(Login owner, Login stranger, String post, String node, String nobody) {

        String resolve(String template) {
            return template.replace("{owner}", owner.jid()).replace("{post}", post).replace("{node}", node)
                    .replace("{nobody}", nobody);
        }
    }

    private static Fixture fixture;

    private static synchronized Fixture fixture() {
        if (fixture == null) {
            Login juliet = account("juliet");
            String channel = "/" + juliet.jid();
            as(juliet).contentType(ContentType.JSON).body(Map.of("access_model", "authorize")).post(channel + "/metadata/posts")
                    .then().statusCode(200);
            String post = publish(as(juliet), channel + "/content/posts", A_POST);
            publish(as(juliet), channel + "/content/posts", Map.of("content", "Deny thy father", "replyTo", post));
            as(juliet).post(channel + "/x-chess-moves").then().statusCode(201);
            fixture = new Fixture(juliet, account("romeo"), post, "x-chess-moves", "nobody-" + UUID.randomUUID() + "@localhost");
        }
        return fixture;
    }

    static Stream<String> refusals() {
        return BY_NAME.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachRefusalIsAProblemNamingItsCondition(String name) {
        Refusal refusal = BY_NAME.get(name);
        Fixture f = fixture();
        RequestSpecification request = switch (refusal.who()) {
            case ANONYMOUS -> given();
            case OWNER -> as(f.owner());
            case STRANGER -> as(f.stranger());
            case OWNER_BASIC -> basic(f.owner());
            case STRANGER_BASIC -> basic(f.stranger());
            case WRONG_PASSWORD -> given().auth().preemptive().basic(f.owner().username(), "not-" + f.owner().password());
        };
        if (refusal.body() != null) {
            Object body = refusal.body() instanceof Map<?, ?> map ? resolved(map, f) : refusal.body();
            request.contentType(refusal.contentType()).body(body);
        }
        String[] methodAndPath = f.resolve(refusal.request()).split(" ", 2);
        Response response = request.request(methodAndPath[0], methodAndPath[1]);
        assertProblem(response, refusal.status(), refusal.condition(), refusal.appCondition())
                .body("instance", equalTo(methodAndPath[1].split("\\?")[0]));
        if (refusal.who() == Who.WRONG_PASSWORD) {
            response.then().header("WWW-Authenticate", containsString("Basic realm=")).body("detail", equalTo("wrong user name or password"));
        }
    }

    @Test
    void aJsonBodyOfTheWrongShapeIsAProblemToo() {
        Fixture f = fixture();
        String channel = "/" + f.owner().jid();
        assertAll(
                () -> assertProblem(as(f.owner()).contentType(ContentType.JSON)
                        .body(Map.of("jid", "tybalt@localhost", "subscription", "subscribed"))
                        .post(channel + "/subscribers/posts/approve"), 400, "bad-request", null),
                () -> assertProblem(as(f.owner()).contentType(ContentType.JSON).body(List.of("tybalt@localhost"))
                        .post(channel + "/subscribers/posts"), 400, "bad-request", null),
                () -> assertProblem(as(f.stranger()).contentType(ContentType.JSON).body(List.of(f.owner().jid() + "/posts"))
                        .post("/subscribed"), 400, "bad-request", null),
                () -> assertProblem(as(f.owner()).contentType(ContentType.JSON).body(List.of("Wherefore art thou?"))
                        .post(channel + "/content/posts"), 400, "bad-request", null));
    }

    @Test
    void anAtomEntryReplacesTheNewestPost() {
        Login juliet = account("juliet");
        String status = "/" + juliet.jid() + "/content/status";
        as(juliet).contentType(ContentType.JSON).body(Map.of("content", "sleepy")).put(status).then().statusCode(201);
        String id = as(juliet).contentType(ATOM).body(AN_ENTRY).put(status).then().statusCode(201)
                .contentType(ContentType.JSON).body("author", equalTo(juliet.jid())).body("content", equalTo("On the balcony"))
                .extract().path("id");
        given().get(status).then().statusCode(200).header("X-RSM-Count", "1")
                .body("id", equalTo(List.of(id))).body("content", equalTo(List.of("On the balcony")));
        given().accept(ATOM).get(status + "/" + id).then().statusCode(200).contentType(ATOM).body(containsString("On the balcony"));
    }

    @Test
    void contentPagesOlderWithAfterAndNewerWithBeforeAndSaysWhereEachPageSits() {
        Login benvolio = account("benvolio");
        String posts = "/" + benvolio.jid() + "/content/posts";
        for (int i = 0; i < 5; i++) {
            publish(as(benvolio), posts, Map.of("content", "post " + i));
        }
        List<String> all = given().queryParam("max", 5).get(posts).then().statusCode(200).header("X-RSM-Count", "5")
                .body("content", equalTo(List.of("post 4", "post 3", "post 2", "post 1", "post 0"))).extract().path("id");

        page(posts, Map.of("max", 2), all.subList(0, 2));
        page(posts, Map.of("max", 2, "after", all.get(1)), all.subList(2, 4));
        page(posts, Map.of("max", 2, "after", all.get(3)), all.subList(4, 5));
        page(posts, Map.of("max", 2, "after", all.get(4)), List.of());
        page(posts, Map.of("max", 2, "before", all.get(4)), all.subList(2, 4));
        page(posts, Map.of("max", 2, "before", all.get(1)), all.subList(0, 1));
        page(posts, Map.of("max", 2, "before", all.get(0)), List.of());
        given().accept(ATOM).queryParams(Map.of("max", 2, "after", all.get(1))).get(posts).then().statusCode(200).contentType(ATOM)
                .header("X-RSM-Count", "5").header("X-RSM-First", all.get(2)).header("X-RSM-Last", all.get(3))
                .body(containsString("/posts," + all.get(2) + "</id>")).body(containsString("/posts," + all.get(3) + "</id>"))
                .body(not(containsString("/posts," + all.get(1) + "</id>"))).body(not(containsString("/posts," + all.get(4) + "</id>")));

        assertProblem(given().queryParams(Map.of("after", all.get(1), "before", all.get(3))).get(posts), 400, "bad-request", null);
        assertProblem(given().queryParam("max", 0).get(posts), 400, "bad-request", "invalid-max-value-provided");
        assertProblem(given().queryParam("max", 201).get(posts), 400, "bad-request", "invalid-max-value-provided");
        assertProblem(given().queryParam("after", "no-such-post").get(posts), 404, "item-not-found", null);
        assertProblem(given().queryParam("before", "no-such-post").get(posts), 404, "item-not-found", null);
    }

    @Test
    void threadsArePagedLikePosts() {
        Login benvolio = account("benvolio");
        String posts = "/" + benvolio.jid() + "/content/posts";
        String older = publish(as(benvolio), posts, Map.of("content", "older thread"));
        String newer = publish(as(benvolio), posts, Map.of("content", "newer thread"));
        publish(as(benvolio), posts, Map.of("content", "a reply", "replyTo", newer));
        given().queryParam("max", 1).get(posts + "/threads").then().statusCode(200)
                .header("X-RSM-Count", "2").header("X-RSM-First", newer).header("X-RSM-Last", newer).body("id", equalTo(List.of(newer)));
        given().queryParams(Map.of("max", 1, "after", newer)).get(posts + "/threads").then().statusCode(200)
                .header("X-RSM-First", older).body("id", equalTo(List.of(older))).body("[0].items", hasSize(1));
    }

    @Test
    void httpBasicWithTheAccountPasswordWorksLikeAToken() {
        Login juliet = account("juliet");
        String channel = "/" + juliet.jid();
        basic(juliet).contentType(ContentType.JSON).body(Map.of("access_model", "authorize")).post(channel + "/metadata/posts")
                .then().statusCode(200).body("access_model", equalTo("authorize"));
        String id = publish(basic(juliet), channel + "/content/posts", Map.of("content", "by password"));
        basic(juliet).get(channel + "/content/posts/" + id).then().statusCode(200).body("author", equalTo(juliet.jid()));
        basic(juliet).contentType(ATOM).body(AN_ENTRY).put(channel + "/content/status").then().statusCode(201);
        basic(juliet).get("/subscribed").then().statusCode(200).body("'" + juliet.jid() + "/posts'", equalTo("owner"));
        given().get(channel + "/content/posts/" + id).then().statusCode(401);
    }

    private static void page(String path, Map<String, ?> query, List<String> expected) {
        ValidatableResponse page = given().queryParams(query).get(path).then().statusCode(200).header("X-RSM-Count", "5");
        List<String> ids = page.extract().path("id");
        assertEquals(expected, ids, "page " + query);
        if (expected.isEmpty()) {
            page.header("X-RSM-First", nullValue()).header("X-RSM-Last", nullValue());
        } else {
            page.header("X-RSM-First", expected.get(0)).header("X-RSM-Last", expected.get(expected.size() - 1));
        }
    }

    private static ValidatableResponse assertProblem(Response response, int status, String condition, String appCondition) {
        ValidatableResponse then = response.then().log().ifValidationFails().statusCode(status).contentType(PROBLEM)
                .body("status", equalTo(status)).body("condition", equalTo(condition))
                .body("type", equalTo("urn:buddycloud:problem:" + condition))
                .body("title", not(blankOrNullString())).body("detail", not(blankOrNullString()))
                .body("appCondition", appCondition == null ? nullValue() : equalTo(appCondition));
        if (status == 401) {
            then.header("WWW-Authenticate", containsString("Bearer realm="));
        }
        return then;
    }

    private static Map<String, Object> resolved(Map<?, ?> body, Fixture f) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        body.forEach((k, v) -> resolved.put(f.resolve(String.valueOf(k)), v));
        return resolved;
    }

    private static Login account(String name) {
        return ChannelServerTest.client().newAccount(name);
    }

    private static RequestSpecification as(Login login) {
        return given().auth().oauth2(login.accessToken());
    }

    private static RequestSpecification basic(Login login) {
        return given().auth().preemptive().basic(login.username(), login.password());
    }

    private static String publish(RequestSpecification author, String path, Map<String, ?> post) {
        return author.contentType(ContentType.JSON).body(post).post(path).then().statusCode(201)
                .header("Location", containsString(path + "/")).extract().path("id");
    }
}
