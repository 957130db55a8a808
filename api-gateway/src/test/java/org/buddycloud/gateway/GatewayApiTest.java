package org.buddycloud.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.buddycloud.testsupport.LocalInfrastructureOnly;
import org.junit.jupiter.api.Test;

/**
 * The gateway as apps meet it: every call here goes to the gateway's one origin, which routes to the real channel
 * server, media server and push server behind it.
 */
@QuarkusTest
@WithTestResource(GatewayTestStack.class)
@LocalInfrastructureOnly("starts the media and push servers against the local PostgreSQL and S3 endpoint")
class GatewayApiTest {

    @Test
    void theReadmeWalkthroughWorksAgainstTheGatewayAlone() {
        String username = "juliet-" + UUID.randomUUID().toString().substring(0, 8);
        String jid = given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", "wherefore-art-thou", "email", username + "@example.com"))
                .post("/account").then().statusCode(201).extract().path("jid");
        String token = given().auth().preemptive().basic(username, "wherefore-art-thou").post("/auth/token")
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(token).get("/whoami").then().statusCode(200).body("jid", equalTo(jid));
        given().get("/whoami").then().statusCode(401);

        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("content", "Wherefore art thou?"))
                .post("/" + jid + "/content/posts").then().statusCode(201)
                .header("Location", matchesPattern("/" + jid + "/content/posts/[^/]+"));
        given().get("/" + jid + "/content/posts?max=1").then().statusCode(200)
                .body("[0].content", equalTo("Wherefore art thou?")).header("X-RSM-Count", "1");

        awaitMediaServerKnows(jid);
        String media = given().auth().oauth2(token).multiPart("file", "balcony.txt", "O Romeo, Romeo!".getBytes(), "text/plain")
                .multiPart("title", "The balcony").post("/" + jid + "/media").then().statusCode(201)
                .header("Location", matchesPattern("/" + jid.replace("@", "(@|%40)") + "/media/[^/]+")).extract().path("id");
        assertEquals("O Romeo, Romeo!", given().get("/" + jid + "/media/" + media).then().statusCode(200).extract().asString());

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("type", "gcm", "target", "juliet-phone-token", "postOnSubscribedChannel", true))
                .post("/notification_settings").then().statusCode(200).body(containsString("juliet-phone-token"));
    }

    @Test
    void httpBasicWorksForEveryServiceAsTheOldApiTookIt() {
        String username = "romeo-" + UUID.randomUUID().toString().substring(0, 8);
        String jid = register(username, "montague-pw");
        given().auth().preemptive().basic(username, "montague-pw").contentType(ContentType.JSON).body(Map.of("content", "by basic"))
                .post("/" + jid + "/content/posts").then().statusCode(201);
        // the push server only takes tokens: the gateway logged in for the caller
        given().auth().preemptive().basic(username, "montague-pw").contentType(ContentType.JSON)
                .body(Map.of("type", "email", "target", username + "@example.com"))
                .post("/notification_settings").then().statusCode(200);
        given().auth().preemptive().basic(username, "wrong").contentType(ContentType.JSON)
                .body(Map.of("type", "gcm", "target", "x")).post("/notification_settings")
                .then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", containsString("Basic"));
    }

    @Test
    void aLargeUploadStreamsThroughAndComesBackWholeAndInRanges() throws Exception {
        String username = "nurse-" + UUID.randomUUID().toString().substring(0, 8);
        String jid = register(username, "nurse-pw");
        String token = login(username, "nurse-pw");
        awaitMediaServerKnows(jid);
        Path file = Files.createTempFile("gateway-upload-", ".bin");
        try {
            byte[] sent = writeRandom(file, 100L * 1024 * 1024);
            String id = given().auth().oauth2(token).multiPart("file", file.toFile(), "application/octet-stream")
                    .post("/" + jid + "/media").then().statusCode(201).extract().path("id");
            Response whole = given().auth().oauth2(token).get("/" + jid + "/media/" + id);
            whole.then().statusCode(200);
            try (InputStream body = whole.asInputStream()) {
                assertArrayEquals(sent, digest(body), "the download is the upload, byte for byte");
            }
            byte[] part = given().auth().oauth2(token).header("Range", "bytes=1000-1009").get("/" + jid + "/media/" + id)
                    .then().statusCode(206).header("Content-Range", "bytes 1000-1009/" + (100L * 1024 * 1024))
                    .extract().asByteArray();
            assertEquals(10, part.length);
            byte[] expected = new byte[10];
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(1000);
                in.readNBytes(expected, 0, 10);
            }
            assertArrayEquals(expected, part);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aServiceThatIsDownOrBrokenOrSilentIsNamedInA503A502OrA504() {
        given().get("/search?type=metadata&q=romeo").then().statusCode(503).contentType("application/problem+json")
                .body("service", equalTo("search-service")).body("status", equalTo(503)).body("detail", notNullValue());
        given().get("/most_active").then().statusCode(502).contentType("application/problem+json")
                .body("service", equalTo("taste-engine"));
        long started = System.nanoTime();
        given().contentType(ContentType.JSON).body("{\"mine\":[],\"others\":[]}").post("/match_contacts")
                .then().statusCode(504).contentType("application/problem+json").body("service", equalTo("friend-finder"));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30, "the configured idle timeout applies");
    }

    @Test
    void theRequestIdAndTheRealClientArePassedOnAndTheTokenOfABasicLogin() {
        String username = "benvolio-" + UUID.randomUUID().toString().substring(0, 8);
        register(username, "benvolio-pw");
        // a client's own Forwarded is not believed: the proxies in front write X-Forwarded-For
        given().header("X-Request-Id", "app-req-42").header("X-Forwarded-For", "198.51.100.99")
                .header("Forwarded", "for=192.0.2.1")
                .auth().preemptive().basic(username, "benvolio-pw").get("/recommendations")
                .then().statusCode(502).header("X-Request-Id", "app-req-42");
        String head = GatewayTestStack.hangsUp.heads().stream().filter(h -> h.contains("app-req-42")).findFirst()
                .orElseThrow(() -> new AssertionError("the taste engine never got the request id"));
        assertTrue(head.toLowerCase().contains("x-forwarded-for: 198.51.100.99"), head);
        assertTrue(head.contains("Authorization: Bearer "), "a Basic login reaches a token-only service as a token: " + head);
        // without one, the gateway makes one up and tells the caller
        given().get("/whoami").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void theChannelServersLoginThrottleCountsTheRealClient() {
        String username = "tybalt-" + UUID.randomUUID().toString().substring(0, 8);
        register(username, "tybalt-pw");
        int refused = 0;
        for (int i = 0; i < 40 && refused == 0; i++) {
            int status = given().header("X-Forwarded-For", "198.51.100.20").auth().preemptive()
                    .basic("nobody-" + i + "-" + username, "guess").post("/auth/token").statusCode();
            if (status == 429) {
                refused++;
            }
        }
        assertEquals(1, refused, "30 failures from one client address are throttled");
        given().header("X-Forwarded-For", "198.51.100.20").auth().preemptive().basic(username, "tybalt-pw")
                .post("/auth/token").then().statusCode(429);
        given().header("X-Forwarded-For", "198.51.100.21").auth().preemptive().basic(username, "tybalt-pw")
                .post("/auth/token").then().statusCode(200);
    }

    @Test
    void aClientOnIpv6SignsUpAndLogsInThroughTheGateway() {
        // a browser on this machine comes from ::1: its address reaches the channel server in brackets (RFC 7239), which
        // once made every request of it fail there (400 beside an X-Forwarded-For; 500 in the password check)
        String username = "mercutio-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("X-Forwarded-For", "2001:db8::7").contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", "mercutio-pw", "email", username + "@example.com"))
                .post("/account").then().statusCode(201);
        given().header("X-Forwarded-For", "2001:db8::7").auth().preemptive().basic(username, "mercutio-pw")
                .post("/auth/token").then().statusCode(200);
        int refused = 0;
        for (int i = 0; i < 40 && refused == 0; i++) {
            refused += given().header("X-Forwarded-For", "2001:db8::8").auth().preemptive()
                    .basic("nobody-" + i + "-" + username, "guess").post("/auth/token").statusCode() == 429 ? 1 : 0;
        }
        assertEquals(1, refused, "failures from one IPv6 client are counted for it");
        given().header("X-Forwarded-For", "2001:db8::7").auth().preemptive().basic(username, "mercutio-pw")
                .post("/auth/token").then().statusCode(200);
    }

    @Test
    void aBurstFromOneAddressOrOneAccountGets429WithRetryAfter() throws Exception {
        // the burst allowance (200) and ten seconds of refill (50/s) and more: refused even where a busy machine spreads
        // the requests over seconds
        List<HttpResponse<String>> fromOneAddress = burst(800, i -> Map.of("X-Forwarded-For", "203.0.113.77"));
        HttpResponse<String> limited = fromOneAddress.stream().filter(r -> r.statusCode() == 429).findFirst()
                .orElseThrow(() -> new AssertionError("a burst past the per-address limit is refused"));
        assertTrue(limited.headers().firstValue("Retry-After").orElse("").matches("[1-9][0-9]*"), limited.headers().toString());
        assertTrue(limited.body().contains("203.0.113.77"), limited.body());

        String username = "peter-" + UUID.randomUUID().toString().substring(0, 8);
        register(username, "peter-pw");
        String token = login(username, "peter-pw");
        // a new address each time: only the account's own limit can stop it
        // likewise: 100 and ten seconds of 20/s and more
        List<HttpResponse<String>> ofOneAccount = burst(400, i -> Map.of("X-Forwarded-For", "192.0.2." + (i % 250 + 1),
                "Authorization", "Bearer " + token));
        HttpResponse<String> accountLimited = ofOneAccount.stream().filter(r -> r.statusCode() == 429).findFirst()
                .orElseThrow(() -> new AssertionError("a burst past the per-account limit is refused"));
        assertTrue(accountLimited.body().contains(username), accountLimited.body());
        assertTrue(accountLimited.headers().firstValue("Retry-After").isPresent());
    }

    /** {@code count} requests at once (the search service is down: each is cheap), with each one's headers. */
    private static List<HttpResponse<String>> burst(int count, java.util.function.IntFunction<Map<String, String>> headers)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/search?q=x"));
            headers.apply(i).forEach(request::header);
            sent.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            responses.add(response.get(60, TimeUnit.SECONDS));
        }
        return responses;
    }

    @Test
    void corsPreflightAndResponsesFollowTheOldApi() {
        given().header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/juliet@localhost/content/posts").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://app.example")
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Max-Age", "86400");
        given().header("Origin", "https://app.example").get("/juliet@localhost/content/posts")
                .then().header("Access-Control-Allow-Origin", "https://app.example")
                .header("Access-Control-Expose-Headers", containsString("Location"));
    }

    @Test
    void anAnswerThatBreaksOffReachesTheCallerBrokenNotComplete() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                + "/recommendations?" + BrokenUpstream.PARTIAL)).build();
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()));
    }

    @Test
    void internalAndUnknownPathsAreNotExposed() {
        given().contentType(ContentType.JSON).body("{}").post("/internal/confirm").then().statusCode(404)
                .contentType("application/problem+json");
        given().urlEncodingEnabled(false).get("/x/%2e%2e/q/metrics").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2("not-a-token").get("/subscribed").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void oneOpenApiDocumentDescribesEveryService() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/{channel}/content/{node}"))
                .body("paths", org.hamcrest.Matchers.hasKey("/notification_settings"))
                .body("paths", org.hamcrest.Matchers.hasKey("/notifications/stream"))
                .body("paths.keySet().findAll { it.startsWith('/{channel}/media') }.size()", org.hamcrest.Matchers.greaterThan(0));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    static String register(String username, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password, "email", username + "@example.com"))
                .post("/account").then().statusCode(201).extract().path("jid");
    }

    static String login(String username, String password) {
        return given().auth().preemptive().basic(username, password).post("/auth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** The media server learns of new channels from Kafka. */
    static void awaitMediaServerKnows(String jid) {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/" + jid + "/media").statusCode() == 200);
    }

    private static byte[] writeRandom(Path file, long size) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
                sha.update(chunk);
            }
        }
        return sha.digest();
    }

    private static byte[] digest(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return sha.digest();
    }
}
