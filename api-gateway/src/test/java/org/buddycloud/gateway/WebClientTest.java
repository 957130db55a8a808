package org.buddycloud.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.buddycloud.testsupport.LocalInfrastructureOnly;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The web client at the gateway's root: its files with a strict Content-Security-Policy, revalidated caching and
 * gzip — and everything else, the services' answers and the live streams, exactly as before.
 */
@QuarkusTest
@WithTestResource(GatewayTestStack.class)
@LocalInfrastructureOnly("starts the media and push servers against the local PostgreSQL and S3 endpoint")
class WebClientTest {

    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            + "connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'";
    /** The JDK's client asks for HTTP/2 (h2c) first: every check is made over both versions. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final HttpClient HTTP_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theRootIsTheWebClientUnderAStrictPolicy() {
        Response root = given().get("/");
        root.then().statusCode(200).contentType(containsString("text/html")).body(containsString("/app/main.js"))
                .header("Content-Security-Policy", POLICY).header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-cache")
                .header("ETag", matchesPattern("W/\"[A-Za-z0-9_-]+\""));
        given().get("/index.html").then().statusCode(200).header("ETag", root.header("ETag"));
        for (String file : new String[] {"/app/main.js", "/sdk/buddycloud.js"}) {
            given().get(file).then().statusCode(200).contentType(containsString("javascript"))
                    .header("Content-Security-Policy", POLICY).header("Cache-Control", "no-cache");
        }
        given().get("/app/app.css").then().statusCode(200).contentType(containsString("text/css"));
    }

    @Test
    void theServiceWorkerIsJavaScriptFromTheRoot() {
        given().get("/sw.js").then().statusCode(200).contentType(containsString("javascript"))
                .header("Cache-Control", "no-cache").header("Content-Security-Policy", POLICY);
    }

    @Test
    void anUnchangedFileIsAnswered304() throws Exception {
        // without Accept-Encoding: Quarkus's static handler answers, with the gateway's tag
        HttpResponse<byte[]> first = HTTP_1.send(request("/app/main.js").build(), HttpResponse.BodyHandlers.ofByteArray());
        String tag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> byTag = HTTP_1.send(request("/app/main.js").header("If-None-Match", tag).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, byTag.statusCode());
        assertEquals(0, byTag.body().length);
        assertEquals(Optional.of(tag), byTag.headers().firstValue("ETag"));
        assertEquals(Optional.of("no-cache"), byTag.headers().firstValue("Cache-Control"));
        HttpResponse<byte[]> byDate = HTTP_1.send(request("/app/main.js")
                .header("If-Modified-Since", first.headers().firstValue("Last-Modified").orElseThrow()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, byDate.statusCode());
        HttpResponse<byte[]> changed = HTTP_1.send(request("/app/main.js").header("If-None-Match", "W/\"another-release\"").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, changed.statusCode());
        assertArrayEquals(first.body(), changed.body());
    }

    @Test
    void aFileTheWebClientDoesNotHaveIsTheGatewaysOwn404() {
        for (String path : new String[] {"/app/no-such-module.js", "/sdk/", "/app"}) {
            given().get(path).then().statusCode(404).contentType("application/problem+json")
                    .body("detail", containsString("the web client has no file"));
        }
    }

    @Test
    void theWebClientsFilesAreGzippedForClientsThatTakeIt() throws Exception {
        for (HttpClient http : new HttpClient[] {HTTP, HTTP_1}) {
            for (String file : new String[] {"/", "/app/main.js", "/app/app.css", "/sw.js"}) {
                HttpResponse<byte[]> plain = http.send(request(file).build(), HttpResponse.BodyHandlers.ofByteArray());
                HttpResponse<byte[]> gzipped = http.send(request(file).header("Accept-Encoding", "gzip, deflate").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(Optional.empty(), plain.headers().firstValue("Content-Encoding"), file);
                assertEquals(Optional.of("gzip"), gzipped.headers().firstValue("Content-Encoding"), file);
                assertArrayEquals(plain.body(), gunzip(gzipped.body()), file);
                assertEquals(plain.headers().firstValue("Content-Type"), gzipped.headers().firstValue("Content-Type"), file);
                assertEquals(plain.headers().firstValue("ETag"), gzipped.headers().firstValue("ETag"), "one weak tag for both");
                assertEquals(Optional.of("Accept-Encoding"), gzipped.headers().firstValue("Vary"), file);
                HttpResponse<byte[]> again = http.send(request(file).header("Accept-Encoding", "gzip")
                        .header("If-None-Match", gzipped.headers().firstValue("ETag").orElseThrow()).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(304, again.statusCode(), file);
                HttpResponse<byte[]> refused = http.send(request(file).header("Accept-Encoding", "gzip;q=0, identity").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(Optional.empty(), refused.headers().firstValue("Content-Encoding"), file);
            }
        }
    }

    @Test
    void servicesAnswersAndLiveStreamsAreNeverCompressed() throws Exception {
        String username = "juliet-" + UUID.randomUUID().toString().substring(0, 8);
        String jid = GatewayApiTest.register(username, "balcony-pw");
        String token = GatewayApiTest.login(username, "balcony-pw");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("content", "Wherefore art thou?"))
                .post("/" + jid + "/content/posts").then().statusCode(201);

        String channelServer = ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class);
        for (HttpClient http : new HttpClient[] {HTTP, HTTP_1}) {
            // a service's answer: byte for byte and header for header what the channel server sends, asked the same way
            HttpResponse<byte[]> direct = http.send(HttpRequest.newBuilder(URI.create(channelServer + "/" + jid + "/content/posts"))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> through = http.send(request("/" + jid + "/content/posts").header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, through.statusCode());
            assertEquals(direct.headers().firstValue("Content-Encoding"), through.headers().firstValue("Content-Encoding"));
            assertEquals(direct.headers().firstValue("Content-Length"), through.headers().firstValue("Content-Length"));
            assertArrayEquals(direct.body(), through.body());

            // a live stream: uncompressed, its first line at once and each event as it happens
            HttpResponse<InputStream> stream = http.send(request("/notifications/stream?channel=" + jid)
                    .header("Accept", "text/event-stream").header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = stream.body()) {
                assertEquals(200, stream.statusCode());
                assertEquals(Optional.empty(), stream.headers().firstValue("Content-Encoding"));
                BlockingQueue<String> lines = readLines(body);
                assertEquals("retry: 2000", lines.poll(20, TimeUnit.SECONDS));
                given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("content", "It is my lady"))
                        .post("/" + jid + "/content/posts").then().statusCode(201);
                assertTrue(awaitLine(lines, "event: post"), "the post reached the open stream");
            }
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path));
    }

    private static byte[] gunzip(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }

    /** The stream's lines as they come, read on a thread of its own. */
    private static BlockingQueue<String> readLines(InputStream body) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // closed by the test
            }
        }, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static boolean awaitLine(BlockingQueue<String> lines, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (wanted.equals(lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))) {
                return true;
            }
        }
        return false;
    }
}
