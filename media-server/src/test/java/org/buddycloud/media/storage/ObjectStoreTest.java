package org.buddycloud.media.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.http.Method;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.S3TestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.junit.jupiter.api.Test;

/** The media bucket on a real S3 endpoint (s3proxy): streamed and multipart puts, ranges, presigned URLs. */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class ObjectStoreTest {

    @Inject
    ObjectStore store;

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void storesReadsRangesAndRemoves() throws Exception {
        String key = "juliet@localhost/" + UUID.randomUUID();
        byte[] bytes = random(3 * 1024 * 1024);
        store.put(key, new ByteArrayInputStream(bytes), bytes.length, "application/octet-stream");
        ObjectStore.Stat stat = store.stat(key).orElseThrow();
        assertEquals(bytes.length, stat.size());
        try (InputStream all = store.get(key, 0, -1)) {
            assertArrayEquals(bytes, all.readAllBytes());
        }
        try (InputStream range = store.get(key, 1000, 500)) {
            assertArrayEquals(Arrays.copyOfRange(bytes, 1000, 1500), range.readAllBytes());
        }
        store.remove(key);
        assertTrue(store.stat(key).isEmpty());
        store.remove(key);
    }

    @Test
    void aStreamOfUnknownLengthGoesUpInParts() throws Exception {
        String key = "juliet@localhost/" + UUID.randomUUID();
        byte[] bytes = random(12 * 1024 * 1024);
        store.put(key, new ByteArrayInputStream(bytes), -1, "video/mp4");
        assertEquals(bytes.length, store.stat(key).orElseThrow().size());
        try (InputStream all = store.get(key, 0, -1)) {
            assertArrayEquals(bytes, all.readAllBytes());
        }
    }

    @Test
    void presignedUrlsLetAClientTransferDirectly() throws Exception {
        String key = "romeo@localhost/" + UUID.randomUUID();
        byte[] bytes = random(64 * 1024);
        HttpClient http = HttpClient.newHttpClient();
        String put = store.presigned(Method.PUT, key, Duration.ofMinutes(5), java.util.Map.of());
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(put)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stored.statusCode(), stored.body());
        String get = store.presigned(Method.GET, key, Duration.ofMinutes(5), java.util.Map.of());
        HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(get)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(bytes, fetched.body());
        String otherObject = get.replaceFirst("/romeo%40localhost/[^?]+", "/romeo%40localhost/someone-elses");
        assertTrue(!otherObject.equals(get), otherObject);
        HttpResponse<byte[]> tampered = http.send(HttpRequest.newBuilder(URI.create(otherObject)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, tampered.statusCode(), "a presigned URL is good for its one object only");
    }

    @Test
    void readinessIncludesTheBucket() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("s3"));
    }
}
