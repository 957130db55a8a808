package org.buddycloud.contracts.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetches a real JWKS document over HTTP from a loopback server the test controls. */
class JwksKeysTest {

    private final TestSigner first = new TestSigner("k1");
    private final TestSigner second = new TestSigner("k2");
    private final AtomicReference<List<TestSigner>> published = new AtomicReference<>(List.of(first));
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger fetches = new AtomicInteger();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
    private HttpServer server;
    private JwksKeys keys;

    @BeforeEach
    void serveJwks() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JsonWebKeySet(published.get().stream().map(s -> (JsonWebKey) s.key).toList())
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
        keys = new JwksKeys(uri, Duration.ofSeconds(2), Duration.ofMinutes(10), clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void answersKnownKeysFromMemory() {
        assertTrue(keys.find("k1").isPresent());
        assertTrue(keys.find("k1").isPresent());
        assertEquals(1, fetches.get());
    }

    @Test
    void fetchesAgainWhenATokenNamesAKeyItHasNotSeenAfterRotation() {
        assertTrue(keys.find("k1").isPresent());
        published.set(List.of(first, second));
        clock.advance(Duration.ofSeconds(3));
        assertTrue(keys.find("k2").isPresent());
        assertEquals(first.key.getPublicKey(), keys.find("k1").orElseThrow());
        assertEquals(2, fetches.get());
    }

    @Test
    void inventedKeyIdsCannotMakeItFetchMoreThanOncePerInterval() {
        for (int i = 0; i < 50; i++) {
            assertFalse(keys.find("invented-" + i).isPresent());
        }
        assertEquals(1, fetches.get());
    }

    @Test
    void keepsItsKeysWhenTheServerFails() {
        assertTrue(keys.find("k1").isPresent());
        status.set(503);
        clock.advance(Duration.ofMinutes(11));
        assertTrue(keys.find("k1").isPresent());
        assertEquals(2, fetches.get());
    }

    @Test
    void refetchesWhenTheSetIsOlderThanItsMaximumAge() {
        assertTrue(keys.find("k1").isPresent());
        published.set(List.of(second));
        clock.advance(Duration.ofMinutes(11));
        assertFalse(keys.find("k1").isPresent(), "a retired key disappears after the next scheduled fetch");
        assertTrue(keys.find("k2").isPresent());
    }
}
