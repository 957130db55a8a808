package org.buddycloud.cluster;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.TestDirectories;
import org.junit.jupiter.api.Test;

/**
 * An operator moves the domain to new hardware: the whole domain exported from one channel server, imported into a
 * fresh one (its own database, nothing in it) of the same domain. The accounts log in there with their old passwords
 * and find their channels, posts with their times and threads, followers and follows; a tampered domain archive is
 * refused before anything is written; a second import changes nothing.
 */
class DomainMoveTest {

    private static final String OPERATOR = "domain-move-test-operator-token";
    private static final String DOMAIN = "localhost";

    @Test
    void theWholeDomainMovesToAFreshServerAndItsAccountsLogInWithTheirPasswords() throws Exception {
        KafkaTestResource.quietBrokerLogs();
        Path kafkaDir = TestDirectories.create("kafka-");
        Path postgresDir = TestDirectories.create("postgres-");
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("old", "fresh"));
            byte[] archive;
            Login romeo;
            Login juliet;
            String first;
            String reply;
            List<Map<String, Object>> romeosPosts;
            try (ChannelServerProcess old = server("old", kafka, postgres)) {
                ChannelServerClient client = new ChannelServerClient(old.baseUrl());
                romeo = client.newAccount("romeo");
                juliet = client.newAccount("juliet");
                client.configure(romeo, romeo.jid(), Map.of("default_affiliation", "publisher"));
                client.follow(juliet, romeo.jid());
                client.follow(romeo, juliet.jid());
                first = client.post(romeo, romeo.jid(), "But soft, what light through yonder window breaks");
                reply = given().baseUri(old.baseUrl()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                        .body(Map.of("content", "It is the east", "replyTo", first)).post("/" + romeo.jid() + "/content/posts")
                        .then().statusCode(201).extract().path("id");
                client.post(juliet, juliet.jid(), "Wherefore art thou Romeo?");
                romeosPosts = posts(old.baseUrl(), romeo);

                given().baseUri(old.baseUrl()).post("/internal/domain/exports").then().statusCode(403);
                String id = given().baseUri(old.baseUrl()).header("X-Buddycloud-Operator-Token", OPERATOR)
                        .post("/internal/domain/exports").then().statusCode(202).extract().path("id");
                String[] link = new String[1];
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                    JsonPath status = given().baseUri(old.baseUrl()).header("X-Buddycloud-Operator-Token", OPERATOR)
                            .get("/internal/domain/exports/" + id).then().statusCode(200).extract().jsonPath();
                    assertTrue(!"failed".equals(status.getString("state")), status.prettify());
                    link[0] = status.getString("downloadUrl");
                    return "ready".equals(status.getString("state"));
                });
                archive = given().baseUri(old.baseUrl()).get(link[0]).then().statusCode(200).extract().asByteArray();
            }

            try (ChannelServerProcess fresh = server("fresh", kafka, postgres)) {
                String base = fresh.baseUrl();
                byte[] tampered = altered(archive, "yonder window", "yonder door");
                given().baseUri(base).header("X-Buddycloud-Operator-Token", OPERATOR).contentType("application/zip").body(tampered)
                        .post("/internal/domain/imports").then().statusCode(400);
                given().baseUri(base).contentType(ContentType.JSON)
                        .body(Map.of("username", romeo.username(), "password", "nobody-knows")).post("/auth/token").then().statusCode(401);

                JsonPath done = importDomain(base, archive);
                assertEquals(2, done.getInt("report.accounts"), done.prettify());

                ChannelServerClient client = new ChannelServerClient(base);
                Login romeoAgain = client.login(romeo.username(), romeo.jid(), romeo.password());
                assertEquals(strip(romeosPosts), strip(posts(base, romeoAgain)), "the same posts, times and threads");
                given().baseUri(base).get("/" + romeo.jid() + "/content/posts").then().statusCode(200)
                        .body("find { it.id == '" + reply + "' }.replyTo", equalTo(first))
                        .body("find { it.id == '" + reply + "' }.author", equalTo(juliet.jid()));
                Map<String, String> followers = given().baseUri(base).auth().oauth2(romeoAgain.accessToken())
                        .get("/" + romeo.jid() + "/subscribers/posts").then().statusCode(200).extract().as(Map.class);
                assertTrue(followers.containsKey(juliet.jid()), followers.toString());
                Map<String, String> follows = given().baseUri(base).auth().oauth2(romeoAgain.accessToken()).get("/subscribed")
                        .then().statusCode(200).extract().as(Map.class);
                assertTrue(follows.containsKey(juliet.jid() + "/posts"), follows.toString());

                JsonPath again = importDomain(base, archive);
                assertEquals(0, again.getInt("report.posts"), again.prettify());
                assertEquals(romeosPosts.size(), posts(base, romeoAgain).size());
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }

    /** The archive with one text changed wherever it occurs, the manifest left as it was. */
    private static byte[] altered(byte[] archive, String text, String replacement) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean changed = false;
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive));
             java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (java.util.zip.ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                String content = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                changed |= content.contains(text);
                zip.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                zip.write(content.replace(text, replacement).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                zip.closeEntry();
            }
        }
        assertTrue(changed, "the archive holds the text to alter");
        return out.toByteArray();
    }

    private static JsonPath importDomain(String base, byte[] archive) {
        String id = given().baseUri(base).header("X-Buddycloud-Operator-Token", OPERATOR).contentType("application/zip").body(archive)
                .post("/internal/domain/imports").then().statusCode(202).extract().path("id");
        JsonPath[] done = new JsonPath[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            done[0] = given().baseUri(base).header("X-Buddycloud-Operator-Token", OPERATOR).get("/internal/domain/imports/" + id)
                    .then().statusCode(200).extract().jsonPath();
            assertTrue(!"failed".equals(done[0].getString("state")), done[0].prettify());
            return "done".equals(done[0].getString("state"));
        });
        return done[0];
    }

    private static List<Map<String, Object>> posts(String base, Login reader) {
        return given().baseUri(base).auth().oauth2(reader.accessToken()).get("/" + reader.jid() + "/content/posts?max=100")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static List<String> strip(List<Map<String, Object>> posts) {
        return posts.stream().map(p -> new java.util.TreeMap<>(p).toString()).sorted().toList();
    }

    /** A channel server of the domain on its own database, its events on topics of its own (the two never meet). */
    private static ChannelServerProcess server(String name, KafkaNode kafka, PostgresNode postgres) {
        Map<String, String> config = new HashMap<>();
        kafka.clientConfig().forEach((key, value) -> config.put("kafka." + key, value));
        for (String topic : List.of("accounts", "channels", "posts", "memberships", "media", "dead-letters")) {
            config.put("buddycloud.topics." + topic, name + "." + topic);
        }
        config.putAll(Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(name),
                "quarkus.datasource.username", PostgresNode.USER,
                "quarkus.datasource.password", "",
                "buddycloud.domain", DOMAIN,
                "buddycloud.tokens.issuer", "urn:buddycloud:domain-move-test:" + name + ":" + UUID.randomUUID(),
                "buddycloud.portability.operator-token", OPERATOR,
                "buddycloud.portability.poll-interval", "500ms"));
        return ChannelServerProcess.start("domain-move-" + name, config);
    }
}
