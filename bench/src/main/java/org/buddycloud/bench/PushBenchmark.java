package org.buddycloud.bench;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.Notification;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.KafkaEventCodec;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.FcmStandIn;
import org.buddycloud.testsupport.QuarkusAppProcess;
import org.buddycloud.testsupport.TestDirectories;

/**
 * Notifications from channel events to FCM requests through the packaged push server (real Kafka, PostgreSQL and
 * channel server; Google's side stood in for at the HTTP boundary by {@link FcmStandIn}, the push server running the
 * real Firebase Admin SDK against it).
 * <ul>
 *   <li>Rate: bursts of {@code post.published} events, each mentioning {@value #MENTIONS} of the users, written to
 *   {@code buddycloud.posts}; from the first send until the stand-in has every FCM request (events planned, queued,
 *   leased, sent, recorded). Baseline of the same run: the Admin SDK in this JVM sending the same number of
 *   messages straight to the same stand-in with the push server's concurrency.</li>
 *   <li>Latency: posts published one at a time over the channel server's REST API, each mentioning one user; from
 *   the post's {@code published} time (set in its transaction) to the FCM request's arrival, p50 and p99.</li>
 * </ul>
 */
public final class PushBenchmark {

    private static final int USERS = Integer.getInteger("bench.push.users", 100);
    private static final int EVENTS = Integer.getInteger("bench.push.events", 1_000);
    private static final int ROUNDS = Integer.getInteger("bench.push.rounds", 3);
    private static final int LATENCY_POSTS = Integer.getInteger("bench.push.latency-posts", 200);
    private static final int PAUSE_MS = Integer.getInteger("bench.push.pause-ms", 50);
    private static final int MENTIONS = 10;
    private static final int CONCURRENCY = 16;
    private static final Duration DEADLINE = Duration.ofMinutes(5);
    private static final String ISSUER = "urn:buddycloud:bench";

    private final FcmStandIn fcm;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaEventCodec codec = new KafkaEventCodec();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String channelServer;
    private final String pushServer;
    private int lastExpected;

    private PushBenchmark(FcmStandIn fcm, String bootstrap, String channelServer, String pushServer) {
        this.fcm = fcm;
        this.channelServer = channelServer;
        this.pushServer = pushServer;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Machine.describe());
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        try (FcmStandIn fcm = FcmStandIn.start(8);
             KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("channels", "push"));
            BenchStack.createTopics(kafka);
            try (ChannelServerProcess channels = ChannelServerProcess.start(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                    "quarkus.datasource.username", PostgresNode.USER,
                    "buddycloud.tokens.issuer", ISSUER,
                    "quarkus.log.level", "WARN"), List.of("-Xmx384m"))) {
                Map<String, String> config = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "quarkus.datasource.jdbc.url", postgres.jdbcUrl("push"),
                        "quarkus.datasource.username", PostgresNode.USER,
                        "buddycloud.auth.jwks-url", channels.baseUrl() + "/.well-known/jwks.json",
                        "buddycloud.auth.issuer", ISSUER,
                        "buddycloud.push.delivery.concurrency", Integer.toString(CONCURRENCY),
                        "quarkus.log.level", "WARN"));
                config.putAll(fcm.config());
                config.putAll(BenchStack.serverSettingsFromCommandLine());
                try (QuarkusAppProcess push = QuarkusAppProcess.start("push-server",
                        Path.of(System.getProperty("buddycloud.push-server.app", "../push-server/target/quarkus-app/quarkus-run.jar")),
                        config, List.of("-Xmx384m"))) {
                    new PushBenchmark(fcm, kafka.bootstrapServers(), channels.baseUrl(), push.baseUrl()).measure();
                }
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }

    private void measure() throws Exception {
        ChannelServerClient accounts = new ChannelServerClient(channelServer);
        Login author = accounts.newAccount("author");
        List<Login> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            Login user = accounts.newAccount("user" + i);
            registerDevice(user, "bench-" + user.username());
            users.add(user);
        }
        awaitReady();
        System.out.printf("%d users with one FCM device each; %d events a round on their channels, each mentioning %d of them%n",
                USERS, EVENTS, MENTIONS);

        List<Double> pipeline = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<String> tokens = users.stream().map(u -> "bench-" + u.username()).toList();
        // one warm-up round of each, not counted: the JIT of both sides
        throughput(users);
        direct(tokens, lastExpected);
        for (int round = 1; round <= ROUNDS; round++) {
            double viaPush = throughput(users);
            double straight = direct(tokens, lastExpected);
            pipeline.add(viaPush);
            direct.add(straight);
            System.out.printf("round %d: %,d FCM requests; through the push server %,.0f/s; the Admin SDK straight to the stand-in %,.0f/s%n",
                    round, lastExpected, viaPush, straight);
        }
        double p = median(pipeline);
        double d = median(direct);
        System.out.printf("push rate: median %,.0f notifications/s through the pipeline; %,.0f/s direct; ratio %.2f (aim >= 0.5)%n", p, d, p / d);

        List<Long> latencies = latency(author, users);
        System.out.printf("commit -> FCM request, %d posts %d ms apart: p50 %d ms, p99 %d ms (aim p50 < 50 ms)%n", latencies.size(), PAUSE_MS,
                percentile(latencies, 0.50), percentile(latencies, 0.99));
    }

    /**
     * Events straight onto the topic, as the channel server's relay writes them; the time until FCM has them all.
     * Each user's channel posts in turn, mentioning a block of ten others, so that no user hears twice of one channel
     * in a round: a burst for one user and channel would rightly collapse into fewer requests, which is not what is
     * measured here.
     */
    private double throughput(List<Login> users) throws Exception {
        fcm.clear();
        int expected = 0;
        long start = System.nanoTime();
        for (int e = 0; e < EVENTS; e++) {
            Jid channel = Jid.parse(users.get(e % users.size()).jid());
            List<Jid> mentioned = new ArrayList<>();
            for (int m = 0; m < MENTIONS; m++) {
                Jid user = Jid.parse(users.get(((e / users.size()) * MENTIONS + m) % users.size()).jid());
                mentioned.add(user);
                expected += user.equals(channel) ? 0 : 1; // no one is told of their own post
            }
            String item = UUID.randomUUID().toString();
            Instant now = Instant.now();
            String node = "/user/" + channel + "/posts";
            Post post = new Post(channel, node, item, "tag:localhost," + node + "," + item, channel, null, null, now, now, null,
                    "bench post " + e, "text", null, null, mentioned, List.of(), null);
            producer.send(codec.record("buddycloud.posts", CloudEvent.of(EventTypes.POST_PUBLISHED, "//bench", new PostPublished(post, AccessModel.OPEN), now)));
        }
        producer.flush();
        awaitReceived(expected);
        long last = fcm.received().stream().mapToLong(FcmStandIn.Received::receivedAtNanos).max().orElseThrow();
        lastExpected = expected;
        return expected / ((last - start) / 1e9);
    }

    /** The same number of messages, the same shape, sent by the Admin SDK with the push server's concurrency. */
    private double direct(List<String> tokens, int expected) throws Exception {
        fcm.clear();
        FirebaseApp app = directApp();
        try {
            FirebaseMessaging messaging = FirebaseMessaging.getInstance(app);
            ExecutorService senders = Executors.newFixedThreadPool(CONCURRENCY);
            long start = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < expected; i++) {
                String token = tokens.get(i % tokens.size());
                int n = i;
                sent.add(senders.submit(() -> messaging.send(Message.builder().setToken(token)
                        .setNotification(Notification.builder().setTitle("author mentioned you in author").build())
                        .putData("event", "mention").putData("channel", "author@localhost").putData("item", "item-" + n)
                        .putData("count", "1").setAndroidConfig(AndroidConfig.builder().setCollapseKey("k" + (n % 100)).build()).build())));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            long elapsed = System.nanoTime() - start;
            senders.shutdown();
            return expected / (elapsed / 1e9);
        } finally {
            app.delete();
        }
    }

    private List<Long> latency(Login author, List<Login> users) throws Exception {
        fcm.clear();
        Map<String, Long> published = new ConcurrentHashMap<>();
        for (int i = 0; i < LATENCY_POSTS; i++) {
            String mention = users.get(i % users.size()).jid();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(channelServer + "/" + author.jid() + "/content/posts"))
                    .header("Authorization", "Bearer " + author.accessToken()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"hello " + mention + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("post refused: " + response.statusCode() + " " + response.body());
            }
            String body = response.body();
            published.put(field(body, "id"), Instant.parse(field(body, "published")).toEpochMilli());
            LockSupport.parkNanos(Duration.ofMillis(PAUSE_MS).toNanos());
        }
        awaitReceived(LATENCY_POSTS);
        List<Long> latencies = new ArrayList<>();
        for (FcmStandIn.Received r : fcm.received()) {
            Long at = published.get(r.message().path("data").path("item").asText());
            if (at != null) {
                latencies.add(r.receivedAtMillis() - at);
            }
        }
        return latencies;
    }

    private void awaitReceived(int expected) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (fcm.received().size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + fcm.received().size() + " of " + expected + " FCM requests arrived");
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    private void registerDevice(Login user, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(pushServer + "/devices"))
                .header("Authorization", "Bearer " + user.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"fcm\",\"token\":\"" + token + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("device refused: " + response.statusCode() + " " + response.body());
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (http.send(HttpRequest.newBuilder(URI.create(pushServer + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the push server did not become ready");
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    /** The Admin SDK as the push server configures it, every Google API call sent to the stand-in. */
    private FirebaseApp directApp() throws Exception {
        URI endpoint = URI.create(fcm.endpoint());
        NetHttpTransport transport = new NetHttpTransport.Builder().setConnectionFactory(url -> {
            URL target = url.getHost().endsWith(".googleapis.com") ? endpoint.resolve(url.getFile()).toURL() : url;
            return (HttpURLConnection) target.openConnection();
        }).build();
        try (InputStream in = Files.newInputStream(fcm.credentials())) {
            return FirebaseApp.initializeApp(FirebaseOptions.builder().setCredentials(GoogleCredentials.fromStream(in, () -> transport))
                    .setHttpTransport(transport).build(), "bench-direct-" + UUID.randomUUID());
        }
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        int start = at + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long percentile(List<Long> values, double p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
