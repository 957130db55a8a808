package org.buddycloud.webtests;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 20's "a deletion that really deletes". Erin writes and replies in her own channel and in Olive's, owns a
 * topic channel alone, uploads files and an avatar (one file into Olive's channel), registers a phone with its
 * settings, mutes a channel, proves a mail address and looks her friends up — all through the gateway, as an app does.
 * Then she deletes her account, and every service's store is looked into directly rather than asked through its API:
 * each PostgreSQL database table by table and column by column (channels, media, push, search, friends), the media
 * bucket key by key, the search index (it keeps no table) through the search API as Olive, and the taste engine's
 * model (it keeps it in memory) through its answers to Olive. Nothing may name Erin
 * or hold what she made; and everything of Olive's must still be there, for a deletion that takes too much is a
 * defect too. The services hear of the deletion through Kafka, so the emptiness is awaited.
 */
@ExtendWith(WebStack.Extension.class)
class AccountDeletionEverywhereTest {

    /** Kafka, then a consumer's transaction, then S3: seconds on two busy cores. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final List<String> DATABASES = List.of("channels", "media", "push", "search", "friends");

    /** A word in every post and channel title of this test, so that a search finds them all and nothing else. */
    private final String word = "quokka" + letters(6);
    private WebStack stack;
    private StoreContents stores;
    private ChannelServerClient accounts;

    @Test
    void aDeletedAccountLeavesNothingBehindInAnyServicesDatabaseIndexOrBucket(WebStack stack) throws Exception {
        this.stack = stack;
        this.stores = new StoreContents(stack.stores());
        this.accounts = new ChannelServerClient(stack.gatewayUrl());
        Login erin = accounts.newAccount("erin");
        Login olive = accounts.newAccount("olive");
        String square = "square-" + olive.username() + "@topics." + stack.domain();
        String garden = "garden-" + erin.username() + "@topics." + stack.domain();

        // Olive: a topic channel whose followers may post and upload, her own posts, files, phone and address
        accounts.createTopic(olive, square);
        accounts.configure(olive, square, Map.of("title", "The " + word + " square"));
        String market = accounts.post(olive, square, word + " market day");
        accounts.post(olive, olive.jid(), word + " news from Olive");
        List<String> olivesFiles = List.of(upload(olive, square, "stall.png"), avatar(olive));
        registerPhone(olive);
        String oliveClaim = verifiedClaim(olive, olive.username() + "@example.org");

        // Erin: her channel, a topic channel she alone owns, and Olive's square, where she replies, posts and uploads
        accounts.configure(erin, erin.jid(), Map.of("title", "Erin's " + word + " diary"));
        String firstLight = accounts.post(erin, erin.jid(), word + " first light");
        reply(erin, erin.jid(), firstLight, word + " and a second thought");
        accounts.follow(erin, olive.jid());
        accounts.follow(erin, square);
        reply(erin, square, market, word + " I will bring apples");
        accounts.post(erin, square, word + " who sells pears?");
        accounts.createTopic(erin, garden);
        accounts.configure(erin, garden, Map.of("title", "The " + word + " garden"));
        accounts.post(erin, garden, word + " the roses are out");
        List<String> erinsFiles = List.of(upload(erin, erin.jid(), "sunrise.png"), avatar(erin), upload(erin, garden, "roses.png"),
                upload(erin, square, "apples.png"));
        registerPhone(erin);
        as(erin).put("/notification_preferences/muted/" + square).then().statusCode(204);
        String erinsAddress = erin.username() + "@example.org";
        verifiedClaim(erin, erinsAddress);
        lookup(erin, List.of(hash("nobody-" + letters(8) + "@example.org", pepper())));

        // Olive answers Erin in Erin's channel, where Erin made her a publisher (that reply goes with the channel), and mutes it
        accounts.follow(olive, erin.jid());
        as(erin).contentType(ContentType.JSON).body(Map.of(olive.jid(), "publisher")).post("/" + erin.jid() + "/subscribers/posts")
                .then().statusCode(200);
        reply(olive, erin.jid(), firstLight, word + " good morning, Erin");
        as(olive).put("/notification_preferences/muted/" + erin.jid()).then().statusCode(204);
        String erinsHash = hash(erinsAddress, pepper());
        assertEquals(Map.of(erinsHash, erin.jid()), lookup(olive, List.of(erinsHash)), "Erin's address finds her");

        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertEquals(5, stores.count("channels", "SELECT count(*) FROM items WHERE author = ?", erin.jid()), "Erin's posts");
            assertEquals(4, stores.count("media", "SELECT count(*) FROM media WHERE uploader = ?", erin.jid()), "Erin's files");
            for (String id : erinsFiles) {
                assertFalse(keysNaming(List.of(id)).isEmpty(), "the bytes of " + id);
            }
            assertEquals(2, stores.count("push", "SELECT count(*) FROM push_targets WHERE owner = ?", erin.jid()), "her phone, her mail");
            assertEquals(1, stores.count("push", "SELECT count(*) FROM push_preferences WHERE owner = ?", erin.jid()));
            assertEquals(1, stores.count("push", "SELECT count(*) FROM push_muted_channels WHERE owner = ? AND channel = ?",
                    olive.jid(), erin.jid()), "Olive muted Erin's channel");
            assertEquals(5, posts(olive, Map.of("author", erin.jid())).size(), "Erin's posts in the index");
            assertEquals(2, channels(olive).stream().filter(c -> List.of(erin.jid(), garden).contains(c.get("jid"))).count(),
                    "Erin's channels in the directory");
            assertEquals(1, stores.count("friends", "SELECT count(*) FROM friend_claims WHERE jid = ? AND verified_at IS NOT NULL",
                    erin.jid()), "Erin's verified claim");
            assertTrue(as(olive).get("/most_active?max=50").then().statusCode(200).extract().asString().contains(erin.username()),
                    "the taste engine counts Erin's channels among the active");
            for (String database : DATABASES) {
                assertFalse(stores.mentions(database, erin.username()).isEmpty(), "the " + database + " database knows Erin");
            }
        });

        as(erin).delete("/account").then().statusCode(204);

        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertEquals(List.of(), leftoversOf(erin, erinsFiles, garden, erinsHash, olive, square), "what is left of Erin"));

        assertEquals(2, stores.count("channels", "SELECT count(*) FROM items WHERE author = ?", olive.jid()),
                "Olive's posts stay; only her reply in Erin's channel went with it");
        assertEquals(1, stores.count("channels", "SELECT count(*) FROM items WHERE node = ? AND id = ?", "/user/" + square + "/posts",
                market), "the post Erin replied to stays");
        assertEquals(2, stores.count("media", "SELECT count(*) FROM media WHERE uploader = ?", olive.jid()), "Olive's files stay");
        for (String id : olivesFiles) {
            assertFalse(keysNaming(List.of(id)).isEmpty(), "the bytes of Olive's " + id + " stay");
        }
        assertEquals(1, stores.count("push", "SELECT count(*) FROM push_targets WHERE owner = ? AND type = 'FCM'", olive.jid()),
                "Olive's phone stays");
        assertEquals(1, stores.count("push", "SELECT count(*) FROM push_preferences WHERE owner = ?", olive.jid()));
        assertEquals(2, posts(olive, Map.of("author", olive.jid())).size(), "Olive's posts are still found");
        assertTrue(channels(olive).stream().anyMatch(c -> square.equals(c.get("jid"))), "Olive's square is still in the directory");
        assertEquals(1, stores.count("friends", "SELECT count(*) FROM friend_claims WHERE id = ? AND verified_at IS NOT NULL",
                oliveClaim), "Olive's claim stays");
        assertTrue(stores.count("friends", "SELECT count(*) FROM friend_hashes WHERE claim_id = ?", oliveClaim) > 0,
                "Olive is still found by her address");
    }

    /** Everything any store still holds of Erin, one line each: empty once her deletion has gone everywhere. */
    private List<String> leftoversOf(Login erin, List<String> files, String garden, String addressHash, Login olive, String square)
            throws Exception {
        List<String> left = new ArrayList<>();
        for (String database : DATABASES) {
            left.addAll(stores.mentions(database, erin.username()));
        }
        List<String> named = new ArrayList<>(files);
        named.add(erin.username());
        keysNaming(named).forEach(key -> left.add("bucket: " + key));
        List<String> hers = List.of(erin.jid(), garden);
        posts(olive, Map.of()).stream().filter(p -> erin.jid().equals(p.get("author")) || hers.contains(p.get("channel")))
                .forEach(p -> left.add("search post: " + p));
        channels(olive).stream().filter(c -> hers.contains(c.get("jid")) || erin.jid().equals(c.get("owner")))
                .forEach(c -> left.add("search channel: " + c));
        lookup(olive, List.of(addressHash)).forEach((hash, jid) -> left.add("friend lookup: " + hash + " -> " + jid));
        // the taste engine keeps its model in memory: its answers are where it shows what it holds
        for (String path : List.of("/most_active?max=50", "/recommendations?max=50", "/" + square + "/similar?max=50")) {
            String answer = as(olive).get(path).then().statusCode(200).extract().asString();
            if (answer.contains(erin.username())) {
                left.add("taste engine " + path + ": " + answer);
            }
        }
        return left;
    }

    /** The bucket's keys that contain any of {@code parts}: a channel's folder, a file's id (its previews' too). */
    private List<String> keysNaming(List<String> parts) throws Exception {
        return stores.objectKeys().stream().filter(key -> parts.stream().anyMatch(key::contains)).toList();
    }

    // ---- as an app does it, through the gateway

    private RequestSpecification as(Login who) {
        return RestAssured.given().baseUri(stack.gatewayUrl()).auth().oauth2(who.accessToken());
    }

    private void reply(Login who, String channel, String to, String text) {
        as(who).contentType(ContentType.JSON).body(Map.of("content", text, "replyTo", to))
                .post("/" + channel + "/content/posts").then().statusCode(201);
    }

    /**
     * Uploads a picture to the channel and has a preview made of it; answers the file's id. The media server may
     * not yet know the channel or the uploader's place in it (its read model follows the channel events): it is
     * asked again until it does.
     */
    private String upload(Login who, String channel, String name) {
        byte[] picture = png();
        Response stored = await().atMost(PATIENCE).until(() -> as(who).multiPart("file", name, picture, "image/png")
                .post("/" + channel + "/media"), response -> response.statusCode() != 403 && response.statusCode() != 404);
        String id = stored.then().statusCode(201).extract().path("id");
        as(who).get("/" + channel + "/media/" + id + "?maxwidth=16").then().statusCode(200);
        return id;
    }

    private String avatar(Login who) {
        byte[] picture = png();
        Response stored = await().atMost(PATIENCE).until(() -> as(who).multiPart("file", "me.png", picture, "image/png")
                .put("/" + who.jid() + "/media/avatar"), response -> response.statusCode() != 403 && response.statusCode() != 404);
        return stored.then().statusCode(200).extract().path("id");
    }

    /** A phone (an FCM token) with settings of its own, and quiet hours. */
    private void registerPhone(Login who) {
        String token = "phone-" + UUID.randomUUID();
        as(who).contentType(ContentType.JSON).body(Map.of("type", "fcm", "token", token)).post("/devices").then().statusCode(201);
        as(who).contentType(ContentType.JSON).body(Map.of("type", "gcm", "target", token, "followRequest", false))
                .post("/notification_settings").then().statusCode(200);
        as(who).contentType(ContentType.JSON)
                .body(Map.of("quietHours", Map.of("from", "22:00", "until", "07:00", "timeZone", "Europe/Berlin")))
                .put("/notification_preferences").then().statusCode(200);
    }

    /** Claims the address, discoverable, and enters the code mailed to it; answers the claim's id. */
    private String verifiedClaim(Login who, String address) {
        String claim = as(who).contentType(ContentType.JSON).body(Map.of("medium", "email", "address", address, "discoverable", true))
                .post("/claims").then().statusCode(202).extract().path("id");
        String code = await().atMost(PATIENCE).until(() -> stack.stores().mail().codeSentTo(address), Optional::isPresent).orElseThrow();
        as(who).contentType(ContentType.JSON).body(Map.of("code", code)).post("/claims/" + claim + "/verify").then().statusCode(200)
                .body("verified", equalTo(true));
        return claim;
    }

    private String pepper() {
        return RestAssured.given().baseUri(stack.gatewayUrl()).get("/hash_details").then().statusCode(200).extract().path("lookup_pepper");
    }

    private Map<String, String> lookup(Login who, List<String> hashes) {
        return as(who).contentType(ContentType.JSON).body(Map.of("algorithm", "sha256", "pepper", pepper(), "addresses", hashes))
                .post("/lookup").then().statusCode(200).extract().jsonPath().getMap("mappings", String.class, String.class);
    }

    /** What a client sends for a mail address: base64url SHA-256 of "address medium pepper" (Matrix identity v2). */
    private static String hash(String address, String pepper) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((address + " email " + pepper).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The posts with this test's word that {@code who} finds, with further query parameters (author, channel). */
    private List<Map<String, Object>> posts(Login who, Map<String, String> filters) {
        return as(who).queryParam("type", "content").queryParam("q", word).queryParam("max", 100).queryParams(filters)
                .get("/search").then().statusCode(200).extract().jsonPath().getList("items");
    }

    /** The channels with this test's word in the directory, as {@code who} finds them. */
    private List<Map<String, Object>> channels(Login who) {
        return as(who).queryParam("type", "metadata").queryParam("q", word).queryParam("max", 100)
                .get("/search").then().statusCode(200).extract().jsonPath().getList("items");
    }

    /** A small picture, so that the media server makes previews of it (more objects that must go). */
    private static byte[] png() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(ThreadLocalRandom.current().nextInt(0xFFFFFF)));
        g.fillRect(0, 0, 32, 48);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String letters(int count) {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < count; i++) {
            letters.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return letters.toString();
    }
}
