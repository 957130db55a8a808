package org.buddycloud.cluster;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.TestDirectories;
import org.junit.jupiter.api.Test;

/**
 * Romeo takes his channel from montague.lit to capulet.lit. Capulet asks montague whether it signed the archive
 * ({@code POST /archives/verify}): confirmed, Juliet's replies and the followers come along; an archive whose posts were
 * changed (its manifest rewritten to match) is refused because montague denies the signature; and while montague cannot
 * be asked, only Romeo's own posts are restored — nobody can put words in others' mouths with a hand-made archive.
 */
class CrossDomainImportTest {

    private static final String MONTAGUE = "montague.lit";
    private static final String CAPULET = "capulet.lit";

    @Test
    void anArchiveOfAnotherDomainIsTrustedAsFarAsThatDomainVouchesForIt() throws Exception {
        KafkaTestResource.quietBrokerLogs();
        Path kafkaDir = TestDirectories.create("kafka-");
        Path postgresDir = TestDirectories.create("postgres-");
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("montague", "capulet"));
            ChannelServerProcess montague = server(MONTAGUE, kafka, postgres, Map.of());
            byte[] archive;
            Login romeo;
            Login juliet;
            String first;
            String reply;
            try (ChannelServerProcess capulet = server(CAPULET, kafka, postgres,
                    Map.of("buddycloud.portability.peers.\"" + MONTAGUE + "\"", montague.baseUrl()))) {
                try {
                    ChannelServerClient there = new ChannelServerClient(montague.baseUrl());
                    romeo = there.newAccount("romeo");
                    juliet = there.newAccount("juliet");
                    there.configure(romeo, romeo.jid(), Map.of("default_affiliation", "publisher"));
                    there.follow(juliet, romeo.jid());
                    first = there.post(romeo, romeo.jid(), "I take thee at thy word");
                    reply = given().baseUri(montague.baseUrl()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                            .body(Map.of("content", "Art thou not Romeo?", "replyTo", first)).post("/" + romeo.jid() + "/content/posts")
                            .then().statusCode(201).extract().path("id");
                    archive = there.exportArchive(romeo);

                    ChannelServerClient here = new ChannelServerClient(capulet.baseUrl());
                    Login moved = here.newAccount("romeo");
                    JsonPath report = here.importArchive(moved, archive);
                    assertEquals("confirmed_by_source", report.getString("report.authenticity"), report.prettify());
                    assertEquals(2, report.getInt("report.posts"));
                    assertEquals(juliet.jid(), given().baseUri(capulet.baseUrl()).get("/" + moved.jid() + "/content/posts/" + reply)
                            .then().statusCode(200).extract().path("author"), "juliet's reply came along, hers");
                    Map<String, String> followers = given().baseUri(capulet.baseUrl()).auth().oauth2(moved.accessToken())
                            .get("/" + moved.jid() + "/subscribers/posts").then().statusCode(200).extract().as(Map.class);
                    assertTrue(followers.containsKey(juliet.jid()), "her follow came along: " + followers);

                    byte[] forged = forged(archive, "Art thou not Romeo?", "Thou art a villain");
                    Login other = here.newAccount("romeo");
                    given().baseUri(capulet.baseUrl()).auth().oauth2(other.accessToken()).contentType("application/zip").body(forged)
                            .post("/account/imports").then().statusCode(400)
                            .body("detail", containsString(MONTAGUE + " says it did not sign this archive"));
                    assertEquals(0, posts(capulet.baseUrl(), other).size(), "nothing of the forged archive was written");
                } finally {
                    montague.close();
                }

                Login later = new ChannelServerClient(capulet.baseUrl()).newAccount("romeo");
                JsonPath unverified = new ChannelServerClient(capulet.baseUrl()).importArchive(later, archive);
                assertEquals("unverified", unverified.getString("report.authenticity"), unverified.prettify());
                assertEquals(1, unverified.getInt("report.posts"), "only romeo's own post");
                assertEquals(1, unverified.getInt("report.postsByOthersLeftOut"));
                assertEquals(1, unverified.getInt("report.membersLeftOut"), "no follower from an archive nobody vouches for");
                assertEquals(List.of(first), posts(capulet.baseUrl(), later).stream().map(p -> p.get("id")).toList());
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }

    /** The archive with a post's text changed and its manifest rewritten to match; the signature left as it was. */
    private static byte[] forged(byte[] archive, String text, String replacement) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        String changedPath = null;
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String content = new String(file.getValue(), StandardCharsets.UTF_8);
            if (!file.getKey().startsWith("manifest") && content.contains(text)) {
                file.setValue(content.replace(text, replacement).getBytes(StandardCharsets.UTF_8));
                changedPath = file.getKey();
            }
        }
        assertTrue(changedPath != null, "the archive holds the text to change");
        JsonPath manifest = JsonPath.from(new String(files.get("manifest.json"), StandardCharsets.UTF_8));
        String before = new String(files.get("manifest.json"), StandardCharsets.UTF_8);
        byte[] changed = files.get(changedPath);
        String oldSha = manifest.getString("files.find { it.path == '" + changedPath + "' }.sha256");
        long oldSize = manifest.getLong("files.find { it.path == '" + changedPath + "' }.size");
        String newSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(changed));
        files.put("manifest.json", before.replace(oldSha, newSha)
                .replace("\"size\" : " + oldSize + ",\n    \"sha256\" : \"" + newSha, "\"size\" : " + changed.length + ",\n    \"sha256\" : \"" + newSha)
                .getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static List<Map<String, Object>> posts(String base, Login reader) {
        return given().baseUri(base).auth().oauth2(reader.accessToken()).get("/" + reader.jid() + "/content/posts").then()
                .statusCode(200).extract().jsonPath().getList("$");
    }

    private static ChannelServerProcess server(String domain, KafkaNode kafka, PostgresNode postgres, Map<String, String> settings) {
        String name = domain.substring(0, domain.indexOf('.'));
        Map<String, String> config = new HashMap<>(settings);
        kafka.clientConfig().forEach((key, value) -> config.put("kafka." + key, value));
        for (String topic : List.of("accounts", "channels", "posts", "memberships", "media", "dead-letters")) {
            config.put("buddycloud.topics." + topic, name + "." + topic);
        }
        config.putAll(Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(name),
                "quarkus.datasource.username", PostgresNode.USER,
                "quarkus.datasource.password", "",
                "buddycloud.domain", domain,
                "buddycloud.tokens.issuer", "urn:buddycloud:cross-domain-import-test:" + name + ":" + UUID.randomUUID(),
                "buddycloud.portability.poll-interval", "1s"));
        return ChannelServerProcess.start("cross-domain-" + name, config);
    }
}
