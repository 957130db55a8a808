package org.buddycloud.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.buddycloud.bench.XmppBenchmark.ProcessMemory;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.QuarkusAppProcess;
import org.buddycloud.testsupport.TestDirectories;

/**
 * The packaged API gateway in front of the packaged channel server (real Kafka and PostgreSQL), each figure beside a
 * baseline of the same run:
 * <ul>
 *   <li>Proxying: requests/s and p50/p99 of {@code GET /{channel}/content/posts?max=20} (anonymous, an open channel of
 *   30 posts) through the gateway and straight to the channel server, by the same client with the same number of
 *   HTTP/1.1 connections, in rounds of alternating order; and what each request costs either process in CPU.</li>
 *   <li>Idle live streams: the gateway's heap after a full GC before and after opening N authenticated SSE streams,
 *   beside the same number of idle keep-alive connections (what a connection costs the JVM, Netty and Vert.x before
 *   it is a stream).</li>
 *   <li>Commit to event: posts over REST straight to the channel server, {@value #PAUSE_MS_DEFAULT} ms apart; from each
 *   post's 201 (its transaction committed before) to its event on each stream, with 1 stream (baseline) and with
 *   1,000 (50 followers holding 20 each).</li>
 * </ul>
 * The gateway runs as configured — its access log on, and written — with its rate limits off and a 512 MiB heap.
 */
public final class GatewayBenchmark {

    private static final String ISSUER = "urn:buddycloud:bench";
    private static final String GATEWAY_HEAP = "-Xmx512m";
    private static final String CHANNEL_SERVER_TRUSTED_PROXIES = "127.0.0.1/32,::1/128";
    private static final int CONCURRENCY = Integer.getInteger("bench.gateway.concurrency", 16);
    private static final Duration ROUND = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final int WARM_UPS = 3;
    /** The unloaded comparison: one connection, what the hop adds when nothing queues. */
    private static final Duration UNLOADED_ROUND = Duration.ofSeconds(5);
    private static final int ROUNDS = Integer.getInteger("bench.gateway.rounds", 3);
    private static final int CHANNEL_POSTS = 30;
    /** Idle streams whose heap is measured ({@code -Dbench.gateway.streams=…}). */
    private static final int IDLE_STREAMS = Integer.getInteger("bench.gateway.streams", 5_000);
    private static final int FOLLOWERS = 50;
    private static final int STREAMS_PER_FOLLOWER = 20;
    private static final int LATENCY_POSTS = Integer.getInteger("bench.gateway.posts", 200);
    private static final int WARM_UP_POSTS = 20;
    private static final long PAUSE_MS_DEFAULT = 50;
    private static final Duration PAUSE = Duration.ofMillis(Long.getLong("bench.gateway.pause-ms", PAUSE_MS_DEFAULT));
    private static final Duration DRAIN = Duration.ofSeconds(30);
    private static final Duration IDLE_CPU_WINDOW = Duration.ofSeconds(8);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String channelServer;
    private final long channelServerPid;
    private final String gateway;
    private final long gatewayPid;
    private long nextMark = 1;

    private GatewayBenchmark(ChannelServerProcess channels, QuarkusAppProcess gateway) {
        this.channelServer = channels.baseUrl();
        this.channelServerPid = channels.pid();
        this.gateway = gateway.baseUrl();
        this.gatewayPid = gateway.pid();
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Machine.describe());
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("channels"));
            BenchStack.createTopics(kafka);
            try (ChannelServerProcess channels = ChannelServerProcess.start(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                    "quarkus.datasource.username", PostgresNode.USER,
                    "buddycloud.tokens.issuer", ISSUER,
                    // the loopback, as the default means it: Quarkus reads the default's "0:0:0:0:0:0:0:1" as host
                    // "0:0:0:0:0:0:0", port 1, and looks it up in DNS on every request (5 s stalls where DNS is slow)
                    "buddycloud.trusted-proxies", CHANNEL_SERVER_TRUSTED_PROXIES,
                    "quarkus.log.level", "WARN"), List.of("-Xmx384m"))) {
                Map<String, String> config = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "buddycloud.auth.jwks-url", channels.baseUrl() + "/.well-known/jwks.json",
                        "buddycloud.auth.issuer", ISSUER,
                        "buddycloud.gateway.upstream.channel-server", channels.baseUrl(),
                        "buddycloud.gateway.limits.per-address-per-second", "0",
                        "buddycloud.gateway.limits.per-account-per-second", "0",
                        "buddycloud.gateway.limits.streams-per-account", "100000",
                        "buddycloud.gateway.limits.streams-per-address", "100000",
                        "quarkus.log.level", "WARN",
                        // the access log stays on as configured, and is written (to the process's log file): under a
                        // WARN root level its lines would be built and then dropped, which is not how it runs
                        "quarkus.log.category.\"io.quarkus.http.access-log\".level", "INFO"));
                config.putAll(BenchStack.serverSettingsFromCommandLine());
                List<String> jvm = new ArrayList<>(List.of(GATEWAY_HEAP));
                // -Dbench.server-jvm="-XX:StartFlightRecording=…" profiles the gateway
                jvm.addAll(Arrays.stream(System.getProperty("bench.server-jvm", "").split(" ")).filter(o -> !o.isBlank()).toList());
                try (QuarkusAppProcess gateway = QuarkusAppProcess.start("api-gateway",
                        Path.of(System.getProperty("buddycloud.api-gateway.app", "../api-gateway/target/quarkus-app/quarkus-run.jar")),
                        config, jvm)) {
                    new GatewayBenchmark(channels, gateway).measure();
                }
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }

    private void measure() throws Exception {
        ChannelServerClient accounts = new ChannelServerClient(channelServer);
        Login owner = accounts.newAccount("owner");
        for (int i = 0; i < CHANNEL_POSTS; i++) {
            post(owner, "Post number " + i + " of the channel everybody reads.");
        }
        List<Login> followers = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) {
            Login follower = accounts.newAccount("follower" + i);
            follow(follower, owner);
            followers.add(follower);
        }
        System.out.printf("gateway: %s, access log on and written, rate limits off; channel server -Xmx384m, trusted "
                + "proxies %s; all on this machine with Kafka, PostgreSQL and the benchmark's client%n", GATEWAY_HEAP,
                CHANNEL_SERVER_TRUSTED_PROXIES);
        proxying(owner);
        idleStreams(followers);
        commitToEvent(owner, followers);
    }

    // ---- proxying ----------------------------------------------------------------------------------------------

    private void proxying(Login owner) throws Exception {
        String path = "/" + owner.jid() + "/content/posts?max=20";
        HttpRequest direct = HttpLoad.get(channelServer + path);
        HttpRequest through = HttpLoad.get(gateway + path);
        String straight = http.send(direct, HttpResponse.BodyHandlers.ofString()).body();
        HttpResponse<String> proxied = http.send(through, HttpResponse.BodyHandlers.ofString());
        if (proxied.statusCode() != 200 || !proxied.body().equals(straight)) {
            throw new IllegalStateException("the gateway answered " + proxied.statusCode() + " with another body: " + proxied.body());
        }
        HttpLoad load = new HttpLoad(HttpClient.Version.HTTP_1_1);
        // both servers' and the client's JIT settle: on 2 busy cores the gateway still compiles a minute in
        for (int i = 0; i < WARM_UPS; i++) {
            load.run("warm-up", CONCURRENCY, WARM_UP, w -> direct);
            load.run("warm-up", CONCURRENCY, WARM_UP, w -> through);
        }

        System.out.printf("%nGET /{channel}/content/posts?max=20 (anonymous, open channel, %,d bytes answered), %d HTTP/1.1 "
                + "connections, %d s rounds in alternating order%n", straight.length(), CONCURRENCY, ROUND.toSeconds());
        System.out.println("(CPU: each process's CPU time during the round / requests, its idle background included)");
        System.out.println(HttpLoad.HEADER + String.format(" %14s %10s", "CPU us/req: cs", "gateway"));
        List<HttpLoad.Result> directRuns = new ArrayList<>();
        List<HttpLoad.Result> gatewayRuns = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            boolean directFirst = round % 2 == 0;
            for (int turn = 0; turn < 2; turn++) {
                boolean isDirect = directFirst == (turn == 0);
                long csBefore = ProcessMemory.cpuMillis(channelServerPid);
                long gwBefore = ProcessMemory.cpuMillis(gatewayPid);
                HttpLoad.Result result = load.run(isDirect ? "direct to the channel server" : "through the gateway", CONCURRENCY,
                        ROUND, w -> isDirect ? direct : through);
                double csMicros = (ProcessMemory.cpuMillis(channelServerPid) - csBefore) * 1000.0 / result.requests();
                double gwMicros = (ProcessMemory.cpuMillis(gatewayPid) - gwBefore) * 1000.0 / result.requests();
                System.out.println(result.row() + String.format(" %14.0f %10.0f", csMicros, gwMicros));
                (isDirect ? directRuns : gatewayRuns).add(result);
            }
        }
        double directRate = median(directRuns.stream().map(HttpLoad.Result::perSecond).toList());
        double gatewayRate = median(gatewayRuns.stream().map(HttpLoad.Result::perSecond).toList());
        System.out.printf("medians of %d rounds: direct %,.0f req/s, p50 %.2f ms, p99 %.2f ms; through the gateway %,.0f req/s, "
                        + "p50 %.2f ms, p99 %.2f ms%n", ROUNDS, directRate,
                median(directRuns.stream().map(HttpLoad.Result::p50Millis).toList()),
                median(directRuns.stream().map(HttpLoad.Result::p99Millis).toList()), gatewayRate,
                median(gatewayRuns.stream().map(HttpLoad.Result::p50Millis).toList()),
                median(gatewayRuns.stream().map(HttpLoad.Result::p99Millis).toList()));
        System.out.printf("ratio gateway/direct: %.2f x throughput (aim >= 0.7)%n", gatewayRate / directRate);
        HttpLoad.Result alone = load.run("direct, 1 connection", 1, UNLOADED_ROUND, w -> direct);
        HttpLoad.Result aloneThrough = load.run("through the gateway, 1 connection", 1, UNLOADED_ROUND, w -> through);
        System.out.println(alone.row());
        System.out.println(aloneThrough.row());
        System.out.printf("one connection: the hop adds %.2f ms at p50, %.2f ms at p99%n", aloneThrough.p50Millis() - alone.p50Millis(),
                aloneThrough.p99Millis() - alone.p99Millis());
    }

    // ---- idle streams ------------------------------------------------------------------------------------------

    private void idleStreams(List<Login> followers) throws Exception {
        URI address = URI.create(gateway);
        try (StreamSockets sockets = new StreamSockets(address.getHost(), address.getPort())) {
            Memory idle = memory();
            long idleCpu = cpuWhileIdle();
            List<String> plain = new ArrayList<>();
            for (int i = 0; i < IDLE_STREAMS; i++) {
                plain.add(sockets.request("/q/health/live"));
            }
            sockets.open(plain);
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            Memory connections = memory();
            sockets.closeAll();
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());

            Memory before = memory();
            List<String> streams = new ArrayList<>();
            for (int i = 0; i < IDLE_STREAMS; i++) {
                streams.add(sockets.request("/notifications/stream", "Accept: text/event-stream",
                        "Authorization: Bearer " + followers.get(i % followers.size()).accessToken()));
            }
            long start = System.nanoTime();
            sockets.open(streams);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            long streamsCpu = cpuWhileIdle();
            Memory after = memory();
            if (sockets.open() != IDLE_STREAMS) {
                throw new IllegalStateException("the gateway closed " + sockets.closedByServer() + " of the idle streams");
            }
            sockets.closeAll();

            long connectionHeap = connections.heap() - idle.heap();
            long streamHeap = after.heap() - before.heap();
            System.out.printf("%nidle connections, %,d of each, heap after a full GC of the gateway (%s):%n", IDLE_STREAMS, GATEWAY_HEAP);
            System.out.printf("  keep-alive connections after GET /q/health/live (baseline: the JVM's, Netty's and Vert.x's own "
                            + "per-socket cost): heap +%.1f MiB, %,d bytes each; resident +%.1f MiB%n",
                    mib(connectionHeap), connectionHeap / IDLE_STREAMS, mib(connections.resident() - idle.resident()));
            System.out.printf("  authenticated SSE streams of what the caller follows (%d accounts, opened in %.1f s): heap +%.1f MiB, "
                            + "%,d bytes per stream -> %s streams per GB of heap (aim >= 20,000); resident +%.1f MiB%n",
                    followers.size(), openSeconds, mib(streamHeap), streamHeap / IDLE_STREAMS, perGb(IDLE_STREAMS, streamHeap),
                    mib(after.resident() - before.resident()));
            System.out.printf("  a stream holds %.1f x what an idle connection holds; gateway CPU while idle: %.1f%% of a core "
                            + "without streams, %.1f%% with them (token re-checks, heartbeats)%n",
                    (double) streamHeap / Math.max(1, connectionHeap), percentOfCore(idleCpu), percentOfCore(streamsCpu));
        }
    }

    private record Memory(long heap, long resident) {
    }

    private Memory memory() throws Exception {
        long heap = ProcessMemory.jvmHeapAfterGc(gatewayPid);
        return new Memory(heap, ProcessMemory.resident(gatewayPid));
    }

    private long cpuWhileIdle() throws Exception {
        LockSupport.parkNanos(Duration.ofSeconds(2).toNanos()); // what was going on (compiling, collecting) settles
        long before = ProcessMemory.cpuMillis(gatewayPid);
        LockSupport.parkNanos(IDLE_CPU_WINDOW.toNanos());
        return ProcessMemory.cpuMillis(gatewayPid) - before;
    }

    private static double percentOfCore(long cpuMillis) {
        return 100.0 * cpuMillis / IDLE_CPU_WINDOW.toMillis();
    }

    // ---- commit -> event ---------------------------------------------------------------------------------------

    /** The figures of one round: latencies in microseconds, sorted. */
    private record Round(long[] micros, long expected) {
    }

    private void commitToEvent(Login owner, List<Login> followers) throws Exception {
        System.out.printf("%ncommit -> SSE event: %d posts %d ms apart over REST straight to the channel server; from each "
                + "post's 201 to its event on every stream (after %d warm-up posts)%n", LATENCY_POSTS, PAUSE.toMillis(), WARM_UP_POSTS);
        Round one = streamsRound(owner, followers.subList(0, 1), 1);
        print("1 stream (baseline)", one);
        Round many = streamsRound(owner, followers, STREAMS_PER_FOLLOWER);
        print(String.format("%,d streams (%d followers x %d)", followers.size() * STREAMS_PER_FOLLOWER, followers.size(),
                STREAMS_PER_FOLLOWER), many);
        System.out.printf("  p99 at %,d streams: %.1f ms (aim < 50 ms), %.1f x the one stream's%n", followers.size() * STREAMS_PER_FOLLOWER,
                percentile(many.micros(), 0.99) / 1000.0, (double) percentile(many.micros(), 0.99) / percentile(one.micros(), 0.99));
    }

    private static void print(String label, Round round) {
        System.out.printf("  %-34s p50 %6.1f ms, p99 %6.1f ms, max %6.1f ms (%,d of %,d events arrived)%n", label,
                percentile(round.micros(), 0.50) / 1000.0, percentile(round.micros(), 0.99) / 1000.0,
                round.micros().length == 0 ? Double.NaN : round.micros()[round.micros().length - 1] / 1000.0,
                round.micros().length, round.expected());
    }

    private Round streamsRound(Login owner, List<Login> followers, int streamsEach) throws Exception {
        URI address = URI.create(gateway);
        try (StreamSockets sockets = new StreamSockets(address.getHost(), address.getPort())) {
            List<String> requests = new ArrayList<>();
            for (int i = 0; i < streamsEach; i++) {
                for (Login follower : followers) {
                    requests.add(sockets.request("/notifications/stream", "Accept: text/event-stream",
                            "Authorization: Bearer " + follower.accessToken()));
                }
            }
            sockets.open(requests);
            Round warmUp = posts(owner, sockets, WARM_UP_POSTS, requests.size());
            if (warmUp.micros().length < warmUp.expected()) {
                throw new IllegalStateException("only " + warmUp.micros().length + " of " + warmUp.expected() + " warm-up events arrived");
            }
            Round round = posts(owner, sockets, LATENCY_POSTS, requests.size());
            if (sockets.closedByServer() > 0) {
                throw new IllegalStateException("the gateway closed " + sockets.closedByServer() + " streams");
            }
            return round;
        }
    }

    /** Posts one after another, {@link #PAUSE} apart, and waits for their events on every stream. */
    private Round posts(Login owner, StreamSockets sockets, int posts, int streams) throws Exception {
        sockets.takeArrivals();
        Map<Long, Long> answeredAt = new HashMap<>();
        for (int i = 0; i < posts; i++) {
            long mark = nextMark++;
            post(owner, "bench-mark-" + mark + "- What light through yonder window breaks?");
            answeredAt.put(mark, System.nanoTime());
            LockSupport.parkNanos(PAUSE.toNanos());
        }
        long expected = (long) posts * streams;
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (sockets.arrivalCount() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        long[][] arrivals = sockets.takeArrivals();
        long[] micros = new long[arrivals.length];
        int n = 0;
        for (long[] arrival : arrivals) {
            Long answered = answeredAt.get(arrival[0]);
            if (answered != null) {
                micros[n++] = (arrival[1] - answered) / 1000;
            }
        }
        micros = Arrays.copyOf(micros, n);
        Arrays.sort(micros);
        return new Round(micros, expected);
    }

    // ---- REST ---------------------------------------------------------------------------------------------------

    private void post(Login author, String content) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(channelServer + "/" + author.jid() + "/content/posts"))
                .header("Authorization", "Bearer " + author.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"" + content + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("post refused: " + response.statusCode() + " " + response.body());
        }
    }

    private void follow(Login follower, Login channel) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(channelServer + "/subscribed"))
                .header("Authorization", "Bearer " + follower.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"" + channel.jid() + "/posts\":\"subscribed\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("follow refused: " + response.statusCode() + " " + response.body());
        }
    }

    // ---- figures ------------------------------------------------------------------------------------------------

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static String perGb(int count, long bytes) {
        return bytes <= 0 ? "n/a" : String.format("%,.0f", count / (bytes / 1073741824.0));
    }
}
