package org.buddycloud.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Google's side of FCM at the HTTP boundary, for tests and benchmarks: the OAuth token endpoint a service account
 * signs in at, and FCM's HTTP v1 {@code messages:send}. It keeps every message it is sent and answers as FCM does —
 * a message name, or for a token marked unregistered the v1 error with {@code UNREGISTERED}. The push server runs the
 * real Firebase Admin SDK against it ({@code buddycloud.push.fcm.endpoint}); only Google's cloud is stood in for.
 */
public final class FcmStandIn implements AutoCloseable {

    /** The project of the generated service account. */
    public static final String PROJECT = "buddycloud-test";

    /** One message FCM received: its JSON ({@code message.token}, {@code message.notification}, ...) and when. */
    public record Received(JsonNode message, long receivedAtMillis, long receivedAtNanos) {
        public String token() {
            return message.path("token").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Path credentials;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
    private final Set<String> overQuota = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Consumer<Received> listener = r -> { };

    private FcmStandIn(HttpServer server, Path credentials) {
        this.server = server;
        this.credentials = credentials;
    }

    /** Starts on a free loopback port, with a service-account key file whose requests all come here. */
    public static FcmStandIn start(int threads) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            server.setExecutor(Executors.newFixedThreadPool(threads));
            Path credentials = Files.createTempFile("fcm-service-account-", ".json");
            FcmStandIn standIn = new FcmStandIn(server, credentials);
            server.createContext("/token", standIn::token);
            server.createContext("/v1/projects/", standIn::send);
            server.start();
            Files.writeString(credentials, serviceAccount(standIn.endpoint()));
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to give as {@code buddycloud.push.fcm.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The service account key file to give as {@code buddycloud.push.fcm.credentials}. */
    public Path credentials() {
        return credentials;
    }

    /** The configuration a push server needs to send here. */
    public Map<String, String> config() {
        return Map.of("buddycloud.push.fcm.credentials", credentials.toString(), "buddycloud.push.fcm.endpoint", endpoint());
    }

    /** From now on, messages to {@code token} are refused as FCM refuses an app that was uninstalled. */
    public void unregister(String token) {
        unregistered.add(token);
    }

    /** From now on, messages to {@code token} are refused for a while, as FCM does past a device's quota (429). */
    public void exceedQuota(String token) {
        overQuota.add(token);
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> receivedFor(String token) {
        return received.stream().filter(r -> r.token().equals(token)).toList();
    }

    public void clear() {
        received.clear();
    }

    /** Told of each message as it arrives (benchmarks time them). */
    public void onReceived(java.util.function.Consumer<Received> listener) {
        this.listener = listener;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        try {
            Files.deleteIfExists(credentials);
        } catch (IOException e) {
            // a temporary file; the OS cleans it up
            return;
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        answer(exchange, 200, "{\"access_token\":\"test-access-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private void send(HttpExchange exchange) throws IOException {
        long millis = System.currentTimeMillis();
        long nanos = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (!"Bearer test-access-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, error(401, "UNAUTHENTICATED", null));
            return;
        }
        JsonNode message = JSON.readTree(body).path("message");
        String token = message.path("token").asText();
        if (unregistered.contains(token)) {
            answer(exchange, 404, error(404, "NOT_FOUND", "UNREGISTERED"));
            return;
        }
        if (overQuota.contains(token)) {
            answer(exchange, 429, error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"));
            return;
        }
        Received r = new Received(message, millis, nanos);
        received.add(r);
        listener.accept(r);
        answer(exchange, 200, "{\"name\":\"projects/" + PROJECT + "/messages/" + received.size() + "\"}");
    }

    private static String error(int code, String status, String fcmCode) {
        String details = fcmCode == null ? "[]"
                : "[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"" + fcmCode + "\"}]";
        return "{\"error\":{\"code\":" + code + ",\"message\":\"Requested entity was not found.\",\"status\":\"" + status
                + "\",\"details\":" + details + "}}";
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A service account like the one Firebase's console gives, with a fresh RSA key and this stand-in's token URI. */
    private static String serviceAccount(String endpoint) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Map<String, String> account = Map.of(
                    "type", "service_account",
                    "project_id", PROJECT,
                    "private_key_id", "test-key",
                    "private_key", pem,
                    "client_email", "push@" + PROJECT + ".iam.gserviceaccount.com",
                    "client_id", "1",
                    "token_uri", endpoint + "/token");
            return JSON.writeValueAsString(account);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
