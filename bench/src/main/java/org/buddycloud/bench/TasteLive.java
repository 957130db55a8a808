package org.buddycloud.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.QuarkusAppProcess;
import org.buddycloud.testsupport.TestDirectories;

/**
 * The taste benchmark's end-to-end part: a follow over the packaged channel server's REST API until the packaged taste
 * engine's {@code GET /recommendations} shows it (outbox, relay, Kafka, the engine's feed, the next query), beside the
 * plain round trip of that request in the same run. Real Kafka and PostgreSQL; both services with the product's JVM
 * options.
 *
 * <p>The graph, made over REST before the engine starts (it rebuilds its model from the topics): {@value #CIRCLES}
 * circles of {@value #TOPICS_PER_CIRCLE} topic channels, each created by one of the circle's {@value #MEMBERS} members,
 * every member following all but one of them (their creator stands with it as its owner). Each measured follow is a fresh account's first: before it their
 * recommendations are empty (nothing is posted, so nothing is "most active"); the answer has changed once it lists
 * another channel of the followed one's circle.
 */
final class TasteLive {

    private static final int CIRCLES = 8;
    private static final int TOPICS_PER_CIRCLE = 4;
    private static final int MEMBERS = 8;
    private static final int FOLLOWS = Integer.getInteger("bench.taste.live-follows", 50);
    private static final int WARM_UP_FOLLOWS = Integer.getInteger("bench.taste.live-warm-up", 5);
    private static final int ROUND_TRIPS = Integer.getInteger("bench.taste.live-round-trips", 500);
    private static final String HEAP = System.getProperty("bench.taste.heap", "384m");
    private static final String ISSUER = "urn:buddycloud:bench";
    private static final Duration CHANGE_DEADLINE = Duration.ofSeconds(30);
    private static final Duration MODEL_DEADLINE = Duration.ofMinutes(2);
    private static final Pattern JID = Pattern.compile("\"jid\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern EDGES = Pattern.compile("\"follow edges\"\\s*:\\s*(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String channelServer;
    private String tasteEngine;

    private TasteLive(String channelServer) {
        this.channelServer = channelServer;
    }

    static void measure() throws Exception {
        System.out.printf("%n== end to end: follow over the packaged channel server's REST API -> changed GET /recommendations "
                + "of the packaged taste engine (real Kafka and PostgreSQL)%n");
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("channels"));
            BenchStack.createTopics(kafka);
            try (ChannelServerProcess channels = ChannelServerProcess.start("channel-server", Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                    "quarkus.datasource.username", PostgresNode.USER,
                    "buddycloud.tokens.issuer", ISSUER,
                    "quarkus.log.level", "WARN"), BenchStack.productJvm("512m"))) {
                new TasteLive(channels.baseUrl()).run(kafka.bootstrapServers());
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }

    private void run(String bootstrap) throws Exception {
        ChannelServerClient accounts = new ChannelServerClient(channelServer);
        long setupStart = System.nanoTime();
        List<List<String>> circles = new ArrayList<>();
        List<Login> members = new ArrayList<>();
        int follows = 0;
        for (int k = 0; k < CIRCLES; k++) {
            List<Login> circle = new ArrayList<>();
            for (int m = 0; m < MEMBERS; m++) {
                circle.add(accounts.newAccount("circle" + k + "-m" + m));
            }
            members.addAll(circle);
            List<String> topics = new ArrayList<>();
            for (int t = 0; t < TOPICS_PER_CIRCLE; t++) {
                String topic = "circle" + k + "-t" + t + "-" + Long.toHexString(System.nanoTime() & 0xffffff) + "@topics.localhost";
                expect(201, post(circle.get(t), "/" + topic, null), "create " + topic);
                topics.add(topic);
            }
            for (int m = 0; m < MEMBERS; m++) {
                for (int t = 0; t < TOPICS_PER_CIRCLE; t++) {
                    // all but one: the one a member leaves out is the one they created, if they did
                    if (t != m % TOPICS_PER_CIRCLE) {
                        follow(circle.get(m), topics.get(t));
                        follows++;
                    }
                }
            }
            circles.add(topics);
        }
        List<Login> probes = new ArrayList<>();
        for (int i = 0; i < WARM_UP_FOLLOWS + FOLLOWS; i++) {
            probes.add(accounts.newAccount("probe" + i));
        }
        System.out.printf("graph over REST: %d circles x %d topic channels, %d members each (%,d follows), %,d fresh accounts "
                        + "to follow one channel each; %.1f s%n", CIRCLES, TOPICS_PER_CIRCLE, MEMBERS, follows, probes.size(),
                (System.nanoTime() - setupStart) / 1e9);

        Map<String, String> config = new HashMap<>(Map.of("kafka.bootstrap.servers", bootstrap,
                "buddycloud.auth.jwks-url", channelServer + "/.well-known/jwks.json",
                "buddycloud.auth.issuer", ISSUER,
                "buddycloud.domain", "localhost",
                "quarkus.log.level", "WARN"));
        config.putAll(BenchStack.serverSettingsFromCommandLine());
        long launched = System.nanoTime();
        try (QuarkusAppProcess taste = QuarkusAppProcess.start("taste-engine",
                Path.of(System.getProperty("buddycloud.taste-engine.app", "../taste-engine/target/quarkus-app/quarkus-run.jar")),
                config, productJvm())) {
            tasteEngine = taste.baseUrl();
            double ready = (System.nanoTime() - launched) / 1e9;
            long edges = awaitEdges(follows);
            System.out.printf("taste engine (-Xmx%s) ready %.1f s after launch; its model holds %,d follow edges "
                    + "%.1f s after launch%n", HEAP, ready, edges, (System.nanoTime() - launched) / 1e9);

            // the engine's request path compiled before anything is timed, as the round trips at the end are
            for (int i = 0; i < ROUND_TRIPS / 5; i++) {
                recommended(members.get(i % members.size()).jid());
            }
            long[] sinceFollow = new long[FOLLOWS];
            long[] followCalls = new long[FOLLOWS];
            long[] polls = new long[FOLLOWS];
            for (int i = 0; i < probes.size(); i++) {
                Login probe = probes.get(i);
                List<String> circle = circles.get(i % CIRCLES);
                String followed = circle.get((i / CIRCLES) % TOPICS_PER_CIRCLE);
                List<String> alike = circle.stream().filter(t -> !t.equals(followed)).toList();
                List<String> before = recommended(probe.jid());
                if (before.stream().anyMatch(alike::contains)) {
                    throw new IllegalStateException(probe.jid() + " was shown " + before + " before following anything");
                }
                long start = System.nanoTime();
                follow(probe, followed);
                long followed200 = System.nanoTime();
                long deadline = followed200 + CHANGE_DEADLINE.toNanos();
                int asked = 0;
                while (true) {
                    List<String> now = recommended(probe.jid());
                    asked++;
                    if (now.stream().anyMatch(alike::contains)) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(probe.jid() + " followed " + followed + " but " + CHANGE_DEADLINE
                                + " later was still shown " + now + "; see target/taste-engine-for-tests.log");
                    }
                    LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
                }
                long changed = System.nanoTime();
                if (i >= WARM_UP_FOLLOWS) {
                    int at = i - WARM_UP_FOLLOWS;
                    sinceFollow[at] = changed - followed200;
                    followCalls[at] = followed200 - start;
                    polls[at] = asked;
                }
            }

            // the plain round trip: a settled user's recommendations, asked again and again
            String settled = probes.get(probes.size() - 1).jid();
            for (int i = 0; i < ROUND_TRIPS / 5; i++) {
                recommended(settled);
            }
            long[] roundTrips = new long[ROUND_TRIPS];
            int shown = 0;
            for (int i = 0; i < ROUND_TRIPS; i++) {
                long start = System.nanoTime();
                shown = recommended(settled).size();
                roundTrips[i] = System.nanoTime() - start;
            }
            report(sinceFollow, followCalls, polls, roundTrips, shown);
        }
    }

    private static void report(long[] sinceFollow, long[] followCalls, long[] polls, long[] roundTrips, int shown) {
        double meanChange = Arrays.stream(sinceFollow).average().orElse(0) / 1e6;
        double meanPolls = Arrays.stream(polls).average().orElse(0);
        Arrays.sort(sinceFollow);
        Arrays.sort(followCalls);
        Arrays.sort(roundTrips);
        System.out.printf("follow's 200 -> changed recommendations: p50 %.1f ms, p99 %.1f ms, mean %.1f ms, max %.1f ms over %d follows "
                        + "(%d warm-up follows before; asked again 1 ms after each answer, %.1f requests per follow)%n",
                TasteBenchmark.p(sinceFollow, 0.50), TasteBenchmark.p(sinceFollow, 0.99), meanChange,
                sinceFollow[sinceFollow.length - 1] / 1e6, sinceFollow.length, WARM_UP_FOLLOWS, meanPolls);
        System.out.printf("  the follow itself (POST /subscribed until its 200): p50 %.1f ms, p99 %.1f ms%n",
                TasteBenchmark.p(followCalls, 0.50), TasteBenchmark.p(followCalls, 0.99));
        System.out.printf("baseline, plain GET /recommendations?user=&max=10 round trip (%d suggestions, %,d calls after %,d): "
                        + "p50 %.2f ms, p99 %.2f ms; change/round-trip ratio p50 %.0fx%n", shown, roundTrips.length, roundTrips.length / 5,
                TasteBenchmark.p(roundTrips, 0.50), TasteBenchmark.p(roundTrips, 0.99),
                TasteBenchmark.p(sinceFollow, 0.50) / TasteBenchmark.p(roundTrips, 0.50));
    }

    /** The product's JVM options of every service (no taste-engine file of its own), then this benchmark's heap. */
    private static List<String> productJvm() {
        return List.of("@" + Path.of(System.getProperty("buddycloud.jvm-options", "../deploy/jvm.options")).toAbsolutePath(), "-Xmx" + HEAP);
    }

    /** Waits until the engine's model holds at least {@code edges} follow edges (its readiness says how many). */
    private long awaitEdges(int edges) throws Exception {
        long deadline = System.nanoTime() + MODEL_DEADLINE.toNanos();
        while (true) {
            String body = http.send(HttpRequest.newBuilder(URI.create(tasteEngine + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher held = EDGES.matcher(body);
            long now = held.find() ? Long.parseLong(held.group(1)) : -1;
            if (now >= edges) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the taste engine's model held " + now + " of " + edges + " follow edges after "
                        + MODEL_DEADLINE + ": " + body);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private List<String> recommended(String user) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(tasteEngine + "/recommendations?user="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&max=10")).build(), HttpResponse.BodyHandlers.ofString());
        expect(200, answer, "recommendations of " + user);
        List<String> jids = new ArrayList<>();
        Matcher jid = JID.matcher(answer.body());
        while (jid.find()) {
            jids.add(jid.group(1));
        }
        return jids;
    }

    private void follow(Login follower, String channel) throws IOException, InterruptedException {
        expect(200, post(follower, "/subscribed", "{\"" + channel + "/posts\":\"subscribed\"}"), follower.jid() + " follows " + channel);
    }

    private HttpResponse<String> post(Login who, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(channelServer + path))
                .header("Authorization", "Bearer " + who.accessToken());
        if (json == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> answer, String what) {
        if (answer.statusCode() != status) {
            throw new IllegalStateException(what + ": " + answer.statusCode() + " " + answer.body());
        }
    }
}
