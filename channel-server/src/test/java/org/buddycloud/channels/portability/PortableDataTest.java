package org.buddycloud.channels.portability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.buddycloud.contracts.events.ChannelMoved;
import org.buddycloud.contracts.events.PostImported;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Export and import through the REST API, as an app would: an account's archive holds its channels, posts with their
 * threads and times, followers and follows; imported into a new account it gives the same; importing it twice
 * changes nothing; an altered archive is refused before anything is written; the followers hear of the move.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class PortableDataTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    private static ChannelServerClient client() {
        return new ChannelServerClient("http://localhost:" + io.restassured.RestAssured.port);
    }

    @Test
    void anArchiveImportedIntoANewAccountGivesTheSameChannelPostsThreadsAndFollowers() throws IOException {
        Login romeo = client().newAccount("romeo");
        Login juliet = client().newAccount("juliet");
        Login nurse = client().newAccount("nurse");
        // followers may comment
        client().configure(romeo, romeo.jid(), Map.of("default_affiliation", "publisher"));
        client().follow(juliet, romeo.jid());
        client().follow(nurse, romeo.jid());
        client().follow(romeo, juliet.jid());
        String first = post(romeo, romeo.jid(), Map.of("title", "Balcony", "content", "But soft, what light"));
        String reply = post(juliet, romeo.jid(), Map.of("content", "It is the east", "replyTo", first));
        String second = post(romeo, romeo.jid(), Map.of("content", "<p>and Juliet is the <b>sun</b></p>", "contentType", "xhtml"));
        String topic = "verona-" + UUID.randomUUID().toString().substring(0, 8) + "@topics.localhost";
        client().createTopic(romeo, topic);
        String topicPost = post(romeo, topic, Map.of("content", "Two households"));
        List<Map<String, Object>> before = posts(romeo, romeo.jid());
        // the profile his XMPP client set (vcard-temp), as XmppPepTest sets one
        org.buddycloud.channels.profile.Vcards profiles = io.quarkus.arc.Arc.container().instance(org.buddycloud.channels.profile.Vcards.class).get();
        profiles.save(org.buddycloud.contracts.jid.Jid.parse(romeo.jid()),
                "<vCard xmlns=\"vcard-temp\"><FN>Romeo Montague</FN><NICKNAME>Romeo</NICKNAME></vCard>", java.util.Optional.empty());

        byte[] archive = client().exportArchive(romeo);
        Map<String, byte[]> files = unzip(archive);
        assertTrue(files.containsKey("manifest.json") && files.containsKey("manifest.sig") && files.containsKey("account.json"), files.keySet().toString());
        String feed = new String(files.get("channels/" + enc(romeo.jid()) + "/posts.atom"), StandardCharsets.UTF_8);
        assertTrue(feed.contains("But soft, what light") && feed.contains("It is the east"), feed);

        Login romeo2 = client().newAccount("romeo");
        try (KafkaEvents moves = new KafkaEvents(kafka, "buddycloud.channels"); KafkaEvents imported = new KafkaEvents(kafka, "buddycloud.posts")) {
            JsonPath report = client().importArchive(romeo2, archive);
            assertEquals(4, report.getInt("report.posts"), report.prettify());
            assertEquals(0, report.getInt("report.postsThereAlready"));
            assertEquals("ours", report.getString("report.authenticity"));

            ChannelMoved moved = (ChannelMoved) moves.await(r -> r.event().data() instanceof ChannelMoved m
                    && m.from().toString().equals(romeo.jid()), Duration.ofSeconds(30)).event().data();
            assertEquals(romeo2.jid(), moved.to().toString());
            assertEquals(java.util.Set.of(juliet.jid(), nurse.jid()),
                    moved.followers().stream().map(Object::toString).collect(java.util.stream.Collectors.toSet()));
            PostImported restored = (PostImported) imported.await(r -> r.event().data() instanceof PostImported p
                    && p.post().itemId().equals(reply) && p.post().channel().toString().equals(romeo2.jid()), Duration.ofSeconds(30)).event().data();
            assertEquals(juliet.jid(), restored.post().author().toString());
        }

        List<Map<String, Object>> after = posts(romeo2, romeo2.jid());
        assertTrue(profiles.vcard(org.buddycloud.contracts.jid.Jid.parse(romeo2.jid())).orElse("").contains("<FN>Romeo Montague</FN>"),
                "his profile came along");
        assertEquals(strip(before, romeo.jid(), romeo2.jid()), strip(after, romeo2.jid(), romeo2.jid()),
                "the same posts: ids, authors, times, titles, content, threads");
        Map<String, Object> restoredReply = after.stream().filter(p -> p.get("id").equals(reply)).findFirst().orElseThrow();
        assertEquals(juliet.jid(), restoredReply.get("author"));
        assertEquals(first, restoredReply.get("replyTo"));
        assertEquals(second, after.stream().filter(p -> "xhtml".equals(p.get("contentType"))).findFirst().orElseThrow().get("id"));

        Map<String, String> followers = given().auth().oauth2(romeo2.accessToken()).get("/" + romeo2.jid() + "/subscribers/posts")
                .then().statusCode(200).extract().as(Map.class);
        assertEquals("owner", followers.get(romeo2.jid()));
        assertTrue(followers.containsKey(juliet.jid()) && followers.containsKey(nurse.jid()), followers.toString());
        Map<String, String> follows = given().auth().oauth2(romeo2.accessToken()).get("/subscribed").then().statusCode(200)
                .extract().as(Map.class);
        assertTrue(follows.containsKey(juliet.jid() + "/posts"), "romeo2 follows what romeo followed: " + follows);
        String movedTopic = topic.replace("@", "-2@");
        assertEquals("owner", follows.get(movedTopic + "/posts"), "the topic channel's name was taken, so it became " + movedTopic);
        given().get("/" + movedTopic + "/content/posts").then().statusCode(200).body("[0].id", equalTo(topicPost))
                .body("[0].content", equalTo("Two households"));

        JsonPath again = client().importArchive(romeo2, archive);
        assertEquals(0, again.getInt("report.posts"), again.prettify());
        assertEquals(4, again.getInt("report.postsThereAlready"));
        assertEquals(0, again.getInt("report.channels"));
        assertEquals(0, again.getList("report.movedChannels").size());
        assertEquals(after.size(), posts(romeo2, romeo2.jid()).size(), "importing twice made nothing twice");
    }

    @Test
    void anAlteredArchiveIsRefusedWithTheReasonAndNothingIsWritten() throws IOException {
        Login benvolio = client().newAccount("benvolio");
        post(benvolio, benvolio.jid(), Map.of("content", "I do but keep the peace"));
        byte[] archive = client().exportArchive(benvolio);
        String feed = "channels/" + enc(benvolio.jid()) + "/posts.atom";
        byte[] altered = rezip(archive, feed, new String(unzip(archive).get(feed), StandardCharsets.UTF_8)
                .replace("I do but keep the peace", "I do but mend the peace").getBytes(StandardCharsets.UTF_8));

        Login fresh = client().newAccount("benvolio");
        given().auth().oauth2(fresh.accessToken()).contentType("application/zip").body(altered).post("/account/imports")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("archive refused: " + feed + " does not match its checksum"));
        given().auth().oauth2(fresh.accessToken()).contentType("application/zip").body("not a zip".getBytes(StandardCharsets.UTF_8))
                .post("/account/imports").then().statusCode(400).body("detail", containsString("not a ZIP archive"));
        assertEquals(0, posts(fresh, fresh.jid()).size(), "nothing of a refused archive was written");
        given().auth().oauth2(fresh.accessToken()).get("/account/imports").then().statusCode(200).body("size()", equalTo(0));
        String link = given().auth().oauth2(benvolio.accessToken()).get("/account/exports").then().statusCode(200)
                .extract().path("[0].downloadUrl");
        given().get(link.replace("key=", "key=x")).then().statusCode(404);
        given().auth().oauth2(fresh.accessToken()).get(link.replace("/archive?", "?")).then().statusCode(404);
    }

    @Test
    void badRequestsAreRefusedClearly() {
        Login mercutio = client().newAccount("mercutio");
        given().contentType("application/zip").body(new byte[10]).post("/account/imports").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        given().auth().oauth2(mercutio.accessToken()).contentType(ContentType.JSON).body("{}").post("/account/imports")
                .then().statusCode(415);
        given().get("/account/exports/" + UUID.randomUUID() + "/archive?key=forged").then().statusCode(404);
        given().auth().oauth2(mercutio.accessToken()).get("/account/exports/not-an-id").then().statusCode(404);
        given().post("/account/exports").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("manifestSha256", "00".repeat(32), "signature", "hmac-sha256:forged"))
                .post("/archives/verify").then().statusCode(200).body("valid", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("signature", "x")).post("/archives/verify").then().statusCode(400);
    }

    private static String post(Login author, String channel, Map<String, String> body) {
        return given().auth().oauth2(author.accessToken()).contentType(ContentType.JSON).body(body)
                .post("/" + channel + "/content/posts").then().statusCode(201).extract().path("id");
    }

    private static List<Map<String, Object>> posts(Login reader, String channel) {
        return given().auth().oauth2(reader.accessToken()).get("/" + channel + "/content/posts?max=100").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    /** The posts as comparable across the move: the channel's own JID is all that may differ. */
    private static List<String> strip(List<Map<String, Object>> posts, String channel, String target) {
        return posts.stream().map(p -> new TreeMap<>(p).toString().replace(channel, target)).sorted().toList();
    }

    private static Map<String, byte[]> unzip(byte[] archive) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                files.put(entry.getName(), zip.readAllBytes());
            }
        }
        return files;
    }

    private static byte[] rezip(byte[] archive, String replaced, byte[] with) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : unzip(archive).entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getKey().equals(replaced) ? with : file.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static String enc(String jid) {
        return jid.replace("@", "%40");
    }
}
