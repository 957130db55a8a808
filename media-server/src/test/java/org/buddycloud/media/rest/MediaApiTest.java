package org.buddycloud.media.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.buddycloud.media.rest.MediaTestSupport.account;
import static org.buddycloud.media.rest.MediaTestSupport.bytes;
import static org.buddycloud.media.rest.MediaTestSupport.channelServer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.buddycloud.contracts.events.MediaDeleted;
import org.buddycloud.contracts.events.MediaStored;
import org.buddycloud.media.domain.MediaIds;
import org.buddycloud.media.service.DoomedObjects;
import org.buddycloud.media.storage.ObjectStore;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.S3TestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Upload, list, download (ranges, validators) and metadata, with the channel's permissions, against real S3, Kafka and PostgreSQL. */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class MediaApiTest {

    @Inject
    ObjectStore objects;

    @Inject
    DoomedObjects doomed;

    private static String upload(Login as, String channel, byte[] content, String name) {
        var created = given().auth().oauth2(as.accessToken()).multiPart("file", name, content, "image/png")
                .multiPart("title", "The balcony").post("/" + channel)
                .then().statusCode(201)
                .body("fileName", equalTo(name)).body("author", equalTo(as.jid())).body("fileSize", equalTo(content.length))
                .body("mimeType", equalTo("image/png")).body("entityId", equalTo(channel)).body("fileExtension", equalTo("png"))
                .extract();
        String id = created.path("id");
        // the JID's '@' may be percent-encoded in the URL
        String location = URLDecoder.decode(created.header("Location"), StandardCharsets.UTF_8);
        assertTrue(location.endsWith("/" + channel + "/" + id), location);
        return id;
    }

    @Test
    void theOwnerUploadsAndAnyoneReadsAnOpenChannelsFiles() throws Exception {
        Login juliet = account("juliet");
        byte[] content = bytes(300_000);
        String id = upload(juliet, juliet.jid(), content, "balcony.png");
        given().get("/" + juliet.jid()).then().statusCode(200).body("id", hasItem(id));
        given().get("/" + juliet.jid() + "/" + id + "/metadata").then().statusCode(200)
                .body("shaChecksum", equalTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content))))
                .body("sha256", equalTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))))
                .body("title", equalTo("The balcony"));
        byte[] downloaded = given().get("/" + juliet.jid() + "/" + id).then().statusCode(200).contentType("image/png")
                .header("Accept-Ranges", "bytes").header("Cache-Control", containsString("max-age"))
                .extract().asByteArray();
        assertArrayEquals(content, downloaded);
        String etag = given().get("/" + juliet.jid() + "/" + id).then().extract().header("ETag");
        given().header("If-None-Match", etag).get("/" + juliet.jid() + "/" + id).then().statusCode(304);

        byte[] middle = given().header("Range", "bytes=1000-1999").get("/" + juliet.jid() + "/" + id).then().statusCode(206)
                .header("Content-Range", "bytes 1000-1999/" + content.length).extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 2000), middle);
        byte[] tail = given().header("Range", "bytes=-10").get("/" + juliet.jid() + "/" + id).then().statusCode(206)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(content, content.length - 10, content.length), tail);
        given().header("Range", "bytes=999999-").get("/" + juliet.jid() + "/" + id).then().statusCode(416)
                .header("Content-Range", "bytes */" + content.length);
    }

    @Test
    void listingIsNewestFirstAndPagesToOlderFiles() {
        Login juliet = account("juliet");
        String first = upload(juliet, juliet.jid(), bytes(10), "a.png");
        String second = upload(juliet, juliet.jid(), bytes(11), "b.png");
        String third = upload(juliet, juliet.jid(), bytes(12), "c.png");
        given().get("/" + juliet.jid() + "?max=2").then().statusCode(200).body("id", equalTo(List.of(third, second)));
        given().get("/" + juliet.jid() + "?max=2&after=" + second).then().statusCode(200).body("id", equalTo(List.of(first)));
        given().get("/" + juliet.jid() + "?max=0").then().statusCode(400);
        given().get("/" + juliet.jid() + "?after=nosuchid").then().statusCode(400);
    }

    @Test
    void onlyThoseWhoMayPostUploadAndAPrivateChannelsFilesStayPrivate() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String id = upload(juliet, juliet.jid(), bytes(100), "secret.png");
        given().multiPart("file", "x.png", bytes(5), "image/png").post("/" + juliet.jid()).then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(romeo.accessToken()).multiPart("file", "x.png", bytes(5), "image/png").post("/" + juliet.jid())
                .then().statusCode(403).contentType("application/problem+json");

        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("access_model", "authorize")).post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/" + juliet.jid()).statusCode() == 401);
        for (String path : new String[] {"", "/" + id, "/" + id + "/metadata"}) {
            given().get("/" + juliet.jid() + path).then().statusCode(401);
            given().auth().oauth2(romeo.accessToken()).get("/" + juliet.jid() + path).then().statusCode(403);
            given().auth().oauth2(juliet.accessToken()).get("/" + juliet.jid() + path).then().statusCode(200);
        }
        // nor a preview of it: the read check comes before anything is decoded
        given().get("/" + juliet.jid() + "/" + id + "?maxwidth=16").then().statusCode(401);
        given().auth().oauth2(romeo.accessToken()).get("/" + juliet.jid() + "/" + id + "?maxwidth=16").then().statusCode(403);
        given().auth().oauth2(romeo.accessToken()).get("/" + juliet.jid() + "/" + id + "/link").then().statusCode(403);
    }

    @Test
    void theUploaderOrAModeratorChangesOrDeletesAFileAndNobodyElse() {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        Login tybalt = account("tybalt");
        for (Login publisher : new Login[] {romeo, tybalt}) {
            given().baseUri(channelServer()).auth().oauth2(publisher.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of(juliet.jid() + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
            given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of(publisher.jid(), "publisher")).post("/" + juliet.jid() + "/subscribers/posts").then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(tybalt.accessToken())
                .multiPart("file", "probe.png", bytes(3), "image/png").post("/" + juliet.jid()).statusCode() == 201);
        String id = upload(romeo, juliet.jid(), bytes(50), "romeo.png");

        given().auth().oauth2(romeo.accessToken()).formParam("title", "Under the balcony").formParam("filename", "renamed.png")
                .post("/" + juliet.jid() + "/" + id).then().statusCode(200).body("title", equalTo("Under the balcony"))
                .body("fileName", equalTo("renamed.png")).body("description", equalTo(null));
        given().auth().oauth2(tybalt.accessToken()).formParam("title", "Mine now").post("/" + juliet.jid() + "/" + id)
                .then().statusCode(403).contentType("application/problem+json");
        given().formParam("title", "anon").post("/" + juliet.jid() + "/" + id).then().statusCode(401);
        given().auth().oauth2(tybalt.accessToken()).delete("/" + juliet.jid() + "/" + id).then().statusCode(403);
        given().delete("/" + juliet.jid() + "/" + id).then().statusCode(401);
        given().get("/" + juliet.jid() + "/" + id + "/metadata").then().statusCode(200).body("title", equalTo("Under the balcony"));

        given().auth().oauth2(juliet.accessToken()).delete("/" + juliet.jid() + "/" + id).then().statusCode(204);
        given().get("/" + juliet.jid() + "/" + id).then().statusCode(404);
        given().get("/" + juliet.jid() + "/" + id + "/metadata").then().statusCode(404);
        given().auth().oauth2(juliet.accessToken()).delete("/" + juliet.jid() + "/" + id).then().statusCode(404);
        assertTrue(objects.stat(juliet.jid() + "/media/" + id).isEmpty(), "the bytes are gone too");
    }

    @Test
    void anAvatarIsPublicEvenOnAPrivateChannelAndTheLastReplacementWins() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("access_model", "authorize")).post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/" + juliet.jid()).statusCode() == 401);
        given().get("/" + juliet.jid() + "/avatar").then().statusCode(404);
        // pages listing many channels ask with default=none: no avatar is an empty answer, not an error
        given().get("/" + juliet.jid() + "/avatar?default=none").then().statusCode(204);
        given().get("/" + juliet.jid() + "/avatar?default=identicon").then().statusCode(400);

        byte[] first = bytes(2_000);
        String firstId = given().auth().oauth2(juliet.accessToken()).multiPart("file", "me.png", first, "image/png")
                .put("/" + juliet.jid() + "/avatar").then().statusCode(200).extract().path("id");
        assertArrayEquals(first, given().get("/" + juliet.jid() + "/avatar").then().statusCode(200)
                .header("Cache-Control", containsString("public")).extract().asByteArray());
        assertArrayEquals(first, given().get("/" + juliet.jid() + "/avatar?default=none").then().statusCode(200).extract().asByteArray());
        given().get("/" + juliet.jid() + "/avatar/metadata").then().statusCode(200).body("id", equalTo(firstId));
        given().get("/" + juliet.jid() + "/" + firstId).then().statusCode(200);
        given().multiPart("file", "x.png", bytes(5), "image/png").put("/" + juliet.jid() + "/avatar").then().statusCode(401);
        given().auth().oauth2(romeo.accessToken()).multiPart("file", "x.png", bytes(5), "image/png").put("/" + juliet.jid() + "/avatar")
                .then().statusCode(403);
        given().auth().oauth2(juliet.accessToken()).multiPart("file", "x.png", bytes(5), "image/png").put("/" + juliet.jid() + "/" + firstId)
                .then().statusCode(405);

        byte[][] racers = {bytes(3_000), bytes(3_001)};
        List<CompletableFuture<Integer>> puts = new ArrayList<>();
        for (byte[] racer : racers) {
            puts.add(CompletableFuture.supplyAsync(() -> given().auth().oauth2(juliet.accessToken())
                    .multiPart("file", "race.png", racer, "image/png").put("/" + juliet.jid() + "/avatar").statusCode()));
        }
        for (var put : puts) {
            assertEquals(200, put.get(30, TimeUnit.SECONDS));
        }
        byte[] now = given().get("/" + juliet.jid() + "/avatar").then().statusCode(200).extract().asByteArray();
        assertTrue(Arrays.equals(now, racers[0]) || Arrays.equals(now, racers[1]), "one of the racers won");
        given().get("/" + juliet.jid() + "/" + firstId).then().statusCode(404);
        assertTrue(objects.stat(juliet.jid() + "/media/" + firstId).isEmpty(), "a replaced avatar's bytes are deleted");
        given().auth().oauth2(juliet.accessToken()).get("/" + juliet.jid()).then().statusCode(200).body("size()", equalTo(1));
    }

    private static KafkaEvents mediaEvents() {
        return new KafkaEvents(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), "buddycloud.media");
    }

    private static KafkaEvents.Received mediaEvent(KafkaEvents events, String type, String mediaId) {
        return events.await(r -> r.event().type().equals(type) && mediaId.equals(mediaIdOf(r.event().data())), Duration.ofSeconds(20));
    }

    private static String mediaIdOf(Object data) {
        if (data instanceof MediaStored stored) {
            return stored.mediaId();
        }
        return data instanceof MediaDeleted deleted ? deleted.mediaId() : null;
    }

    @Test
    void everyStoredAndDeletedFileIsAnEventKeyedByItsChannel() throws Exception {
        Login juliet = account("juliet");
        byte[] content = bytes(777);
        String id = upload(juliet, juliet.jid(), content, "nurse.png");
        String avatarId = given().auth().oauth2(juliet.accessToken()).multiPart("file", "me.png", bytes(20), "image/png")
                .put("/" + juliet.jid() + "/avatar").then().statusCode(200).extract().path("id");
        given().auth().oauth2(juliet.accessToken()).delete("/" + juliet.jid() + "/" + id).then().statusCode(204);
        try (KafkaEvents events = mediaEvents()) {
            KafkaEvents.Received stored = mediaEvent(events, "org.buddycloud.media.stored", id);
            assertEquals(juliet.jid(), stored.key());
            MediaStored file = (MediaStored) stored.event().data();
            assertEquals(juliet.jid(), file.uploader().toString());
            assertEquals("nurse.png", file.fileName());
            assertEquals(777, file.size());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), file.sha256());
            assertTrue(!file.avatar());
            assertTrue(((MediaStored) mediaEvent(events, "org.buddycloud.media.stored", avatarId).event().data()).avatar());
            MediaDeleted deleted = (MediaDeleted) mediaEvent(events, "org.buddycloud.media.deleted", id).event().data();
            assertEquals(juliet.jid(), deleted.actor().toString());
            assertEquals(juliet.jid(), deleted.channel().toString());
        }
    }

    @Test
    void bytesWhoseRemovalWasCutShortAreSweptLater() {
        Login juliet = account("juliet");
        String key = juliet.jid() + "/media/" + MediaIds.next();
        objects.put(key, new ByteArrayInputStream(bytes(100)), 100, "application/octet-stream");
        // as if the service died between committing a deletion and removing the bytes: only the note is left
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> doomed.doom(List.of(DoomedObjects.Doomed.object(key))));
        assertEquals(0, doomed.sweep(java.time.Instant.now().minusSeconds(60)), "a fresh note is left to its own removal");
        assertTrue(doomed.sweep(java.time.Instant.now().plusSeconds(1)) >= 1);
        assertTrue(objects.stat(key).isEmpty(), "the sweep removed the bytes");
    }

    @Test
    void aDeletedChannelsFilesAreDeletedWithIt() {
        Login juliet = account("juliet");
        String topic = "verona-" + UUID.randomUUID().toString().substring(0, 6) + "@topics.localhost";
        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).post("/" + topic).then().statusCode(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/" + topic).statusCode() == 200);
        String id = upload(juliet, topic, bytes(1_000), "map.png");
        assertTrue(objects.stat(topic + "/media/" + id).isPresent());

        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).delete("/" + topic).then().statusCode(204);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/" + topic + "/" + id).statusCode() == 404
                && objects.stat(topic + "/media/" + id).isEmpty());
        given().get("/" + topic).then().statusCode(404);
        try (KafkaEvents events = mediaEvents()) {
            assertEquals(topic, mediaEvent(events, "org.buddycloud.media.deleted", id).key());
        }
    }

    @Test
    void aDeletedAccountsFilesGoFromOtherPeoplesChannelsTooAndTheirOwnersFilesStay() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String topic = "verona-" + UUID.randomUUID().toString().substring(0, 6) + "@topics.localhost";
        given().baseUri(channelServer()).auth().oauth2(juliet.accessToken()).post("/" + topic).then().statusCode(201);
        // a topic channel's followers are publishers: romeo may upload once the read model knows he follows
        given().baseUri(channelServer()).auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(topic + "/posts", "subscribed")).post("/subscribed").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(romeo.accessToken())
                .multiPart("file", "probe.png", bytes(3), "image/png").post("/" + topic).statusCode() == 201);
        String romeos = upload(romeo, topic, png(40, 30), "romeo.png");
        given().auth().oauth2(romeo.accessToken()).get("/" + topic + "/" + romeos + "?maxwidth=16").then().statusCode(200);
        String avatar = given().auth().oauth2(romeo.accessToken()).multiPart("file", "crest.png", bytes(20), "image/png")
                .put("/" + topic + "/avatar").then().statusCode(200).extract().path("id");
        String julietsOwn = upload(juliet, topic, bytes(60), "juliet.png");
        assertTrue(objects.stat(topic + "/previews/" + romeos + "/16x16").isPresent());

        given().baseUri(channelServer()).auth().oauth2(romeo.accessToken()).delete("/account").then().statusCode(204);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/" + topic).then().extract().jsonPath().getList("id").size() == 1);
        given().get("/" + topic).then().body("id", hasItem(julietsOwn));
        for (String id : List.of(romeos, avatar)) {
            given().get("/" + topic + "/" + id + "/metadata").then().statusCode(404);
            await().atMost(Duration.ofSeconds(20)).until(() -> objects.stat(topic + "/media/" + id).isEmpty());
        }
        assertTrue(objects.stat(topic + "/previews/" + romeos + "/16x16").isEmpty(), "the previews went with the file");
        given().get("/" + topic + "/avatar").then().statusCode(404);
        assertTrue(objects.stat(topic + "/media/" + julietsOwn).isPresent(), "the channel owner's file stays");
        try (KafkaEvents events = mediaEvents()) {
            MediaDeleted deleted = (MediaDeleted) mediaEvent(events, "org.buddycloud.media.deleted", romeos).event().data();
            assertEquals(romeo.jid(), deleted.actor().toString());
            assertEquals(topic, deleted.channel().toString());
        }
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width / 2, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A PNG whose header claims 50,000 × 50,000 pixels and whose body is a few bytes: a decompression bomb. */
    private static byte[] bomb() {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(50_000)
                .putInt(50_000).put(new byte[] {8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4 + 12).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII))
                .putInt(0xAE426082).array();
    }

    private static BufferedImage image(byte[] bytes) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void previewsFitTheBoxAreNeverUpscaledAndAreMadeOnce() throws Exception {
        Login juliet = account("juliet");
        String id = given().auth().oauth2(juliet.accessToken()).multiPart("file", "garden.png", png(400, 300), "image/png")
                .post("/" + juliet.jid()).then().statusCode(201).body("width", equalTo(400)).body("height", equalTo(300))
                .extract().path("id");
        byte[] small = given().get("/" + juliet.jid() + "/" + id + "?maxwidth=100").then().statusCode(200).contentType("image/png")
                .extract().asByteArray();
        assertEquals(100, image(small).getWidth());
        assertEquals(75, image(small).getHeight());
        assertTrue(objects.stat(juliet.jid() + "/previews/" + id + "/100x100").isPresent(), "the preview is kept for next time");
        assertArrayEquals(small, given().get("/" + juliet.jid() + "/" + id + "?maxwidth=100").then().statusCode(200).extract().asByteArray());
        byte[] wide = given().get("/" + juliet.jid() + "/" + id + "?maxwidth=1000&maxheight=30").then().statusCode(200).extract().asByteArray();
        assertEquals(30, image(wide).getHeight());
        assertEquals(40, image(wide).getWidth());
        byte[] original = given().get("/" + juliet.jid() + "/" + id + "?maxwidth=2000").then().statusCode(200).extract().asByteArray();
        assertEquals(400, image(original).getWidth(), "never upscaled");
        given().get("/" + juliet.jid() + "/" + id + "?maxwidth=0").then().statusCode(400);

        String text = given().auth().oauth2(juliet.accessToken()).multiPart("file", "notes.txt", "hello".getBytes(StandardCharsets.UTF_8),
                "text/plain").post("/" + juliet.jid()).then().statusCode(201).extract().path("id");
        given().get("/" + juliet.jid() + "/" + text + "?maxwidth=50").then().statusCode(412).contentType("application/problem+json");

        String bomb = given().auth().oauth2(juliet.accessToken()).multiPart("file", "bomb.png", bomb(), "image/png")
                .post("/" + juliet.jid()).then().statusCode(201).body("width", equalTo(50_000)).extract().path("id");
        given().get("/" + juliet.jid() + "/" + bomb + "?maxwidth=50").then().statusCode(422).contentType("application/problem+json");
        given().get("/" + juliet.jid() + "/" + id + "?maxwidth=64").then().statusCode(200);

        given().auth().oauth2(juliet.accessToken()).delete("/" + juliet.jid() + "/" + id).then().statusCode(204);
        assertTrue(objects.stat(juliet.jid() + "/previews/" + id + "/100x100").isEmpty(), "previews go with their file");
    }

    @Test
    void theOldBase64FormStillUploads() {
        Login juliet = account("juliet");
        byte[] content = bytes(5_000);
        String id = given().auth().oauth2(juliet.accessToken()).formParam("data", Base64.getEncoder().encodeToString(content))
                .formParam("content-type", "application/pdf").formParam("filename", "play.pdf").post("/" + juliet.jid())
                .then().statusCode(201).body("fileSize", equalTo(content.length)).body("mimeType", equalTo("application/pdf"))
                .extract().path("id");
        assertArrayEquals(content, given().get("/" + juliet.jid() + "/" + id).then().statusCode(200).extract().asByteArray());
        given().auth().oauth2(juliet.accessToken()).formParam("data", "AAAA").post("/" + juliet.jid()).then().statusCode(400);
        given().auth().oauth2(juliet.accessToken()).formParam("data", "not*base64!").formParam("content-type", "text/plain")
                .post("/" + juliet.jid()).then().statusCode(400);
        given().get("/" + juliet.jid()).then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void anUploadCutOffHalfWayLeavesNothingBehind() throws Exception {
        Login juliet = account("juliet");
        String boundary = "cut" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /" + juliet.jid() + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + juliet.accessToken()
                    + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 1000000\r\n\r\n" + head)
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes(100_000));
            out.flush();
        }
        given().auth().oauth2(juliet.accessToken()).get("/" + juliet.jid()).then().statusCode(200).body("size()", equalTo(0));
        anotherUploadStillWorks(juliet);
    }

    private static void anotherUploadStillWorks(Login juliet) {
        given().auth().oauth2(juliet.accessToken()).multiPart("file", "after.bin", bytes(10), "application/octet-stream")
                .post("/" + juliet.jid()).then().statusCode(201);
    }

    /** The test profile's limits: 8 MiB per file, 9 MB per request body. */
    private static final int MAX_FILE = 8 * 1024 * 1024;

    @Test
    void theActualLengthIsLimitedNotOnlyTheDeclaredOne() throws Exception {
        Login juliet = account("juliet");
        // a file within the HTTP limit but past the file limit: refused by the media server, nothing kept
        given().auth().oauth2(juliet.accessToken()).multiPart("file", "big.bin", bytes(MAX_FILE + 100_000), "application/octet-stream")
                .post("/" + juliet.jid()).then().statusCode(413).contentType("application/problem+json");
        // a chunked body that never says how long it is and goes on past the HTTP limit: cut off with 413
        String boundary = "endless" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"endless.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        java.io.InputStream endless = new java.io.SequenceInputStream(new ByteArrayInputStream(head),
                new java.io.InputStream() {
                    private long left = 12L * 1024 * 1024;

                    @Override
                    public int read() {
                        return left-- > 0 ? 'x' : -1;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = (int) Math.min(length, left);
                        Arrays.fill(buffer, offset, offset + n, (byte) 'x');
                        left -= n;
                        return n;
                    }
                });
        int status;
        try {
            status = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/" + juliet.jid()))
                    .header("Authorization", "Bearer " + juliet.accessToken())
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            // the server may close the connection while the client is still sending: refused all the same
            status = 413;
        }
        assertEquals(413, status);
        given().auth().oauth2(juliet.accessToken()).get("/" + juliet.jid()).then().statusCode(200).body("size()", equalTo(0));
        anotherUploadStillWorks(juliet);
    }

    @Test
    void badRequestsGetClearAnswers() {
        Login juliet = account("juliet");
        given().get("/nobody-here@localhost").then().statusCode(404).contentType("application/problem+json");
        given().get("/not a jid").then().statusCode(400);
        given().get("/" + juliet.jid() + "/..%2F..%2Fetc%2Fpasswd").then().statusCode(404);
        given().get("/" + juliet.jid() + "/aaaaaaaaaaaaaaaaaaaa").then().statusCode(404);
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body("{}").post("/" + juliet.jid()).then().statusCode(415);
        given().auth().oauth2(juliet.accessToken()).multiPart("title", "no file").post("/" + juliet.jid()).then().statusCode(400);
        given().auth().oauth2(juliet.accessToken()).multiPart("file", "big.bin", bytes(10), "application/octet-stream")
                .multiPart("content-length", "999999999999").post("/" + juliet.jid()).then().statusCode(413);
        given().auth().oauth2(juliet.accessToken()).multiPart("file", "x.bin", bytes(10), "application/octet-stream")
                .multiPart("content-type", "not a type").post("/" + juliet.jid()).then().statusCode(400);
        given().auth().oauth2(juliet.accessToken()).multiPart("file", "../../etc/passwd", bytes(10), "text/plain").post("/" + juliet.jid())
                .then().statusCode(201).body("fileName", equalTo("passwd"));
    }
}
