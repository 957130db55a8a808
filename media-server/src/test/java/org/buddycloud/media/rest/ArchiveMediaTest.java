package org.buddycloud.media.rest;

import static io.restassured.RestAssured.given;
import static org.buddycloud.media.rest.MediaTestSupport.account;
import static org.buddycloud.media.rest.MediaTestSupport.bytes;
import static org.buddycloud.media.rest.MediaTestSupport.channelServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.S3TestResource;
import org.junit.jupiter.api.Test;

/**
 * An account's files travel with its archive: the channel server takes them from this media server into the archive
 * (bytes and checksums), and on import uploads them again into the new channel, where posts that showed them show the
 * new copies; the avatar stays the avatar. Importing twice uploads nothing twice.
 */
@QuarkusTest
@WithTestResource(ArchiveMediaStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class ArchiveMediaTest {

    @Test
    void filesAndTheAvatarMoveWithTheArchiveAndPostsShowTheNewCopies() throws Exception {
        Login romeo = account("romeo");
        byte[] photo = bytes(700_000);
        byte[] face = bytes(20_000);
        String photoId = given().auth().oauth2(romeo.accessToken()).multiPart("file", "balcony.png", photo, "image/png")
                .multiPart("title", "The balcony").post("/" + romeo.jid()).then().statusCode(201).extract().path("id");
        given().auth().oauth2(romeo.accessToken()).multiPart("file", "face.png", face, "image/png").put("/" + romeo.jid() + "/avatar")
                .then().statusCode(200);
        String post = given().baseUri(channelServer()).auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("content", "Look", "media", List.of(Map.of("id", photoId, "channel", romeo.jid()))))
                .post("/" + romeo.jid() + "/content/posts").then().statusCode(201).extract().path("id");

        byte[] archive = new ChannelServerClient(channelServer()).exportArchive(romeo);
        Map<String, byte[]> files = unzip(archive);
        String media = new String(files.get("media.json"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(media.contains(sha256(photo)) && media.contains(sha256(face)), media);
        assertArrayEquals(photo, files.get("media/" + romeo.jid().replace("@", "%40") + "/" + photoId));

        Login romeo2 = account("romeo");
        JsonPath report = new ChannelServerClient(channelServer()).importArchive(romeo2, archive);
        assertEquals(2, report.getInt("report.media"), report.prettify());

        List<Map<String, Object>> copies = given().auth().oauth2(romeo2.accessToken()).get("/" + romeo2.jid()).then().statusCode(200)
                .extract().jsonPath().getList("$");
        Map<String, Object> copy = copies.stream().filter(m -> "balcony.png".equals(m.get("fileName"))).findFirst().orElseThrow();
        assertEquals(sha256(photo), copy.get("sha256"));
        assertEquals("The balcony", copy.get("title"));
        assertArrayEquals(photo, given().get("/" + romeo2.jid() + "/" + copy.get("id")).then().statusCode(200).extract().asByteArray());
        assertArrayEquals(face, given().get("/" + romeo2.jid() + "/avatar").then().statusCode(200).extract().asByteArray());
        given().baseUri(channelServer()).get("/" + romeo2.jid() + "/content/posts/" + post).then().statusCode(200)
                .body("media[0].id", org.hamcrest.Matchers.equalTo(copy.get("id")))
                .body("media[0].channel", org.hamcrest.Matchers.equalTo(romeo2.jid()));

        JsonPath again = new ChannelServerClient(channelServer()).importArchive(romeo2, archive);
        assertEquals(0, again.getInt("report.media"), again.prettify());
        assertEquals(2, again.getInt("report.mediaThereAlready"));
        assertEquals(copies.size(), given().auth().oauth2(romeo2.accessToken()).get("/" + romeo2.jid()).then().extract()
                .jsonPath().getList("$").size(), "importing twice uploaded nothing twice");
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

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
