package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.buddycloud.channels.xmpp.stream.XmppServer;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.TokenProtectedServiceContract;
import org.junit.jupiter.api.Test;

/** The channel server keeps the same token promises as every other service, and is observable like them. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class OperationsTest extends TokenProtectedServiceContract {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch");

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
                .body("checks.name", hasItems("kafka-outbox", "kafka-revocation-feed", "signing-keys", "Database connections health check"));
    }

    @Test
    void metricsAndOpenApiDescribeTheService() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("buddycloud_outbox_published_total"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/account/pw/reset/confirm")).body(containsString("/auth/token"))
                .body(containsString("/.well-known/jwks.json"));
    }

    @Test
    void openApiDescribesEveryChannelEndpointWithExamples() {
        Map<String, Map<String, Object>> paths = openApiPaths();
        List<String> channelPaths = List.of("/{channel}/content/{node}", "/{channel}/content/{node}/threads",
                "/{channel}/content/{node}/{item}", "/{channel}/content/{node}/{item}/replyto", "/{channel}/metadata/{node}",
                "/{channel}", "/{channel}/{node}", "/subscribed", "/firehose");
        for (String path : List.of("/{channel}/subscribers/{node}", "/{channel}/subscribers/{node}/approve")) {
            assertTrue(paths.containsKey(path), path + " is described; described are " + paths.keySet());
        }
        assertEquals(List.of(), operationsWithoutExamples(paths, channelPaths));
        Map<String, Object> content = paths.get("/{channel}/content/{node}");
        assertFalse(examples(content, "get", "responses", "200", "content", "application/atom+xml").isEmpty(), "an Atom feed example");
        assertFalse(examples(content, "get", "responses", "200", "content", "application/json").isEmpty(), "a JSON feed example");
        assertFalse(examples(content, "post", "requestBody", "content", "application/atom+xml").isEmpty(), "an Atom entry to post");
        assertFalse(examples(content, "post", "requestBody", "content", "application/json").isEmpty(), "a JSON post to post");
        assertFalse(examples(content, "put", "requestBody", "content", "application/atom+xml").isEmpty(), "an Atom entry to put");
        assertFalse(examples(paths.get("/{channel}/content/{node}/{item}"), "get", "responses", "200", "content", "application/atom+xml")
                .isEmpty(), "an Atom entry example");
    }

    @Test
    void openApiShowsExamplesOfFollowersAndApprovals() {
        assertEquals(List.of(), operationsWithoutExamples(openApiPaths(),
                List.of("/{channel}/subscribers/{node}", "/{channel}/subscribers/{node}/approve")));
    }

    private static Map<String, Map<String, Object>> openApiPaths() {
        return given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath().getMap("paths");
    }

    /** "method path" of each operation on the given paths that shows no example; a path not described at all fails. */
    private static List<String> operationsWithoutExamples(Map<String, Map<String, Object>> paths, List<String> wanted) {
        List<String> missing = new ArrayList<>();
        for (String path : wanted) {
            assertTrue(paths.containsKey(path), path + " is described; described are " + paths.keySet());
            paths.get(path).forEach((method, operation) -> {
                if (HTTP_METHODS.contains(method) && !hasExample(operation)) {
                    missing.add(method + " " + path);
                }
            });
        }
        return missing;
    }

    /** True when an operation shows an example anywhere: in its request body or in one of its responses. */
    private static boolean hasExample(Object node) {
        if (node instanceof Map<?, ?> map) {
            Object examples = map.get("examples");
            if (examples instanceof Map<?, ?> named && !named.isEmpty() || map.get("example") != null) {
                return true;
            }
            return map.values().stream().anyMatch(OperationsTest::hasExample);
        }
        return node instanceof List<?> list && list.stream().anyMatch(OperationsTest::hasExample);
    }

    private static Map<?, ?> examples(Object node, String... keys) {
        for (String key : keys) {
            node = node instanceof Map<?, ?> map ? map.get(key) : null;
        }
        Object examples = node instanceof Map<?, ?> map ? map.get("examples") : null;
        return examples instanceof Map<?, ?> named ? named : Map.of();
    }
}
