package org.buddycloud.gateway.xmpp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay between real WebSockets: a "service" server, a relay as the gateway runs it, and a caller. */
class TextRelayFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private Vertx vertx;
    private final CompletableFuture<ServerWebSocket> service = new CompletableFuture<>();
    private final CompletableFuture<Void> relayEnded = new CompletableFuture<>();
    private WebSocket caller;

    @BeforeEach
    void relayACallerToTheService() throws Exception {
        vertx = Vertx.vertx();
        // one server plays both parts: the service at /service, the relay in front of it at /relay
        AtomicInteger port = new AtomicInteger();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/service")) {
                request.toWebSocket().onSuccess(service::complete);
                return;
            }
            // as XmppWebSocketRoute does it: the service first, then the caller's upgrade
            request.pause();
            vertx.createWebSocketClient().connect(port.get(), "127.0.0.1", "/service").onSuccess(outgoing -> {
                outgoing.pause();
                request.toWebSocket().onSuccess(incoming -> {
                    TextRelay.join(incoming, outgoing, () -> relayEnded.complete(null));
                    outgoing.resume();
                });
            });
        });
        port.set(done(server.listen(0)).actualPort());
        caller = done(vertx.createWebSocketClient().connect(port.get(), "127.0.0.1", "/relay"));
    }

    @AfterEach
    void close() throws Exception {
        done(vertx.close());
    }

    @Test
    void textCrossesAsTextBothWaysAndACloseIsPassedOnWithItsCodeAndReason() throws Exception {
        ServerWebSocket server = service.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        CompletableFuture<String> atService = new CompletableFuture<>();
        server.textMessageHandler(atService::complete);
        CompletableFuture<String> atCaller = new CompletableFuture<>();
        caller.textMessageHandler(atCaller::complete);
        CompletableFuture<String> closeAtCaller = new CompletableFuture<>();
        caller.closeHandler(closed -> closeAtCaller.complete(caller.closeStatusCode() + " " + caller.closeReason()));

        caller.writeTextMessage("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        assertEquals("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>", atService.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        vertx.runOnContext(v -> server.writeTextMessage("<stream:features/>"));
        assertEquals("<stream:features/>", atCaller.get(WAIT.toSeconds(), TimeUnit.SECONDS));

        vertx.runOnContext(v -> server.close((short) 4000, "see you"));
        assertEquals("4000 see you", closeAtCaller.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        relayEnded.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aCallerThatClosesClosesTheServiceSide() throws Exception {
        ServerWebSocket server = service.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        CompletableFuture<Short> closeAtService = new CompletableFuture<>();
        server.closeHandler(closed -> closeAtService.complete(server.closeStatusCode()));
        caller.close((short) 1000, "good night");
        assertEquals((short) 1000, closeAtService.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        relayEnded.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aCallerThatDoesNotReadHoldsTheServiceBackInsteadOfFillingTheRelay() throws Exception {
        ServerWebSocket server = service.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<Integer> received = new CopyOnWriteArrayList<>();
        caller.textMessageHandler(text -> received.add(text.length()));
        caller.pause();
        int messages = 1024;
        String message = "x".repeat(64 * 1024);
        AtomicInteger written = new AtomicInteger();
        vertx.runOnContext(v -> {
            for (int i = 0; i < messages; i++) {
                server.writeTextMessage(message).onSuccess(done -> written.incrementAndGet());
            }
        });
        // the service's writes stop completing once the relay stops reading it: 64 MiB never all leave it
        AtomicLong last = new AtomicLong(-1);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> written.get() == messages
                || written.get() == last.getAndSet(written.get()));
        assertTrue(written.get() < messages, "held back after " + written.get() + " of " + messages + " messages");

        AtomicBoolean drained = new AtomicBoolean();
        server.drainHandler(v -> drained.set(true));
        caller.resume();
        await().atMost(WAIT).until(() -> received.size() == messages && drained.get());
        assertEquals(messages, written.get());
        assertTrue(received.stream().allMatch(length -> length == message.length()), "whole text messages");
    }

    private static <T> T done(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
