package org.buddycloud.media.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.buddycloud.media.rest.MediaTestSupport.account;
import static org.buddycloud.media.rest.MediaTestSupport.bytes;
import static org.buddycloud.media.rest.MediaTestSupport.channelServer;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.sql.DataSource;
import org.buddycloud.media.service.AbandonedUploads;
import org.buddycloud.media.storage.ObjectStore;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.S3TestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.junit.jupiter.api.Test;

/** Presigned uploads and downloads straight to and from the real S3 endpoint, with the media server's permission checks. */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class PresignedTransferTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    ObjectStore objects;

    @Inject
    AbandonedUploads sweeper;

    @Inject
    DataSource dataSource;

    private static JsonPath offer(Login as, String channel, String fileName, String contentType, long size) {
        return given().auth().oauth2(as.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("fileName", fileName, "contentType", contentType, "size", size, "title", "Act " + size))
                .post("/" + channel + "/transfers").then().statusCode(201)
                .body("method", equalTo("PUT")).body("expiresAt", notNullValue()).extract().jsonPath();
    }

    private static int put(String url, byte[] content, String contentType) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int pendingUploads(String channel) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pending_uploads WHERE channel = ?")) {
            s.setString(1, channel);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void aLargeFileGoesStraightToS3AndBackAndIsThenLikeAnyOther() throws Exception {
        Login juliet = account("juliet");
        byte[] content = bytes(3 * 1024 * 1024 + 17);
        JsonPath offer = offer(juliet, juliet.jid(), "rehearsal.webm", "video/webm", content.length);
        String id = offer.getString("id");
        assertTrue(offer.getString("uploadUrl").contains("X-Amz-Signature"), "a presigned URL");
        assertEquals(1, pendingUploads(juliet.jid()));
        given().get("/" + juliet.jid() + "/" + id).then().statusCode(404);

        assertEquals(200, put(offer.getString("uploadUrl"), content, "video/webm"));
        var confirmed = given().auth().oauth2(juliet.accessToken()).post(URI.create(offer.getString("confirmUrl")).getPath())
                .then().statusCode(201).body("id", equalTo(id)).body("fileSize", equalTo(content.length))
                .body("mimeType", equalTo("video/webm")).body("title", equalTo("Act " + content.length))
                .body("sha256", equalTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))))
                .extract();
        assertTrue(URLDecoder.decode(confirmed.header("Location"), StandardCharsets.UTF_8).endsWith("/" + juliet.jid() + "/" + id));
        assertEquals(0, pendingUploads(juliet.jid()));
        assertArrayEquals(content, given().get("/" + juliet.jid() + "/" + id).then().statusCode(200).extract().asByteArray());
        given().auth().oauth2(juliet.accessToken()).post("/" + juliet.jid() + "/transfers/" + id).then().statusCode(404);

        String link = given().get("/" + juliet.jid() + "/" + id + "/link").then().statusCode(200)
                .body("expiresAt", notNullValue()).extract().path("url");
        HttpResponse<byte[]> direct = HTTP.send(HttpRequest.newBuilder(URI.create(link)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, direct.statusCode());
        assertArrayEquals(content, direct.body());
        assertEquals("video/webm", direct.headers().firstValue("Content-Type").orElse(""));
        String tampered = link.replace(juliet.jid().substring(0, 6), "romeo-");
        assertEquals(403, HTTP.send(HttpRequest.newBuilder(URI.create(tampered)).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode());
    }

    @Test
    void onlyThoseWhoMayUploadGetAnUploadUrlAndOnlyReadersGetALink() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        given().contentType(ContentType.JSON).body(Map.of("fileName", "a.bin", "size", 1)).post("/" + juliet.jid() + "/transfers")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON).body(Map.of("fileName", "a.bin", "size", 1))
                .post("/" + juliet.jid() + "/transfers").then().statusCode(403);
        String pendingId = offer(juliet, juliet.jid(), "a.bin", "application/octet-stream", 1).getString("id");
        given().auth().oauth2(romeo.accessToken()).post("/" + juliet.jid() + "/transfers/" + pendingId).then().statusCode(404);
        given().auth().oauth2(romeo.accessToken()).delete("/" + juliet.jid() + "/transfers/" + pendingId).then().statusCode(404);

        String id = given().auth().oauth2(juliet.accessToken()).multiPart("file", "secret.png", bytes(64), "image/png")
                .post("/" + juliet.jid()).then().statusCode(201).extract().path("id");
        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("access_model", "authorize")).post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/" + juliet.jid() + "/" + id + "/link").statusCode() == 401);
        given().auth().oauth2(romeo.accessToken()).get("/" + juliet.jid() + "/" + id + "/link").then().statusCode(403);
        given().auth().oauth2(juliet.accessToken()).get("/" + juliet.jid() + "/" + id + "/link").then().statusCode(200);
    }

    @Test
    void whatWasUploadedMustBeWhatWasAnnounced() throws Exception {
        Login juliet = account("juliet");
        JsonPath early = offer(juliet, juliet.jid(), "early.bin", "application/octet-stream", 10);
        given().auth().oauth2(juliet.accessToken()).post("/" + juliet.jid() + "/transfers/" + early.getString("id"))
                .then().statusCode(409).contentType("application/problem+json");

        JsonPath shortOne = offer(juliet, juliet.jid(), "short.bin", "application/octet-stream", 100);
        assertEquals(200, put(shortOne.getString("uploadUrl"), bytes(50), "application/octet-stream"));
        given().auth().oauth2(juliet.accessToken()).post("/" + juliet.jid() + "/transfers/" + shortOne.getString("id"))
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("uploaded 50"));
        assertTrue(objects.stat(juliet.jid() + "/media/" + shortOne.getString("id")).isEmpty(), "the wrong bytes are removed");
        given().auth().oauth2(juliet.accessToken()).post("/" + juliet.jid() + "/transfers/" + shortOne.getString("id")).then().statusCode(404);

        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("fileName", "huge.bin", "size", 200L * 1024 * 1024 * 1024)).post("/" + juliet.jid() + "/transfers")
                .then().statusCode(413);
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(Map.of("fileName", "x.bin"))
                .post("/" + juliet.jid() + "/transfers").then().statusCode(400);
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(Map.of("fileName", "x.bin", "size", -1))
                .post("/" + juliet.jid() + "/transfers").then().statusCode(400);
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body("{not json")
                .post("/" + juliet.jid() + "/transfers").then().statusCode(400);
        given().auth().oauth2(juliet.accessToken()).post("/" + juliet.jid() + "/transfers/..%2Fsecret").then().statusCode(404);

        JsonPath cancelled = offer(juliet, juliet.jid(), "changed-my-mind.bin", "application/octet-stream", 5);
        assertEquals(200, put(cancelled.getString("uploadUrl"), bytes(5), "application/octet-stream"));
        given().auth().oauth2(juliet.accessToken()).delete("/" + juliet.jid() + "/transfers/" + cancelled.getString("id"))
                .then().statusCode(204);
        assertTrue(objects.stat(juliet.jid() + "/media/" + cancelled.getString("id")).isEmpty());
        given().auth().oauth2(juliet.accessToken()).get("/" + juliet.jid()).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void anUploadNeverConfirmedIsSweptAwayBytesAndAll() throws Exception {
        Login juliet = account("juliet");
        JsonPath offer = offer(juliet, juliet.jid(), "forgotten.bin", "application/octet-stream", 1_000);
        assertEquals(200, put(offer.getString("uploadUrl"), bytes(1_000), "application/octet-stream"));
        String key = juliet.jid() + "/media/" + offer.getString("id");
        assertTrue(objects.stat(key).isPresent());

        assertEquals(0, sweeper.sweep(Instant.now()), "not abandoned before its deadline");
        assertTrue(sweeper.sweep(Instant.now().plus(Duration.ofDays(1))) >= 1);
        assertTrue(objects.stat(key).isEmpty(), "the bytes are gone");
        assertEquals(0, pendingUploads(juliet.jid()));
        given().auth().oauth2(juliet.accessToken()).post("/" + juliet.jid() + "/transfers/" + offer.getString("id")).then().statusCode(404);
    }
}
