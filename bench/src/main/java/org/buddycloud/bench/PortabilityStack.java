package org.buddycloud.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.localstack.Ports;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.LockSupportPause;
import org.buddycloud.testsupport.S3Process;
import org.buddycloud.testsupport.TestDirectories;

/**
 * Kafka, PostgreSQL, the S3 endpoint, the packaged channel server and the packaged media server, wired as
 * {@code ./buddycloud} wires them for portable data: the channel server takes an account's files from the media server
 * at {@code buddycloud.portability.media-url}, and the media server checks tokens with the channel server's keys. The
 * media server's port is chosen first, so that the channel server, started before it, knows where it will be.
 * Both run with the product's JVM options ({@code deploy/jvm.options}, and the channel server's own) and the heaps
 * given here; everything is removed afterwards.
 */
record PortabilityStack(PostgresNode postgres, ChannelServerProcess channels, String mediaUrl) {

    static final String ISSUER = "urn:buddycloud:bench";
    static final String SERVER_NAME = "channel-server-portability";

    /** What the benchmark does with the running stack. */
    interface Run {
        void measure(PortabilityStack stack) throws Exception;
    }

    String channelsUrl() {
        return channels.baseUrl();
    }

    String channelsJdbcUrl() {
        return postgres.jdbcUrl("channels");
    }

    /** The channel server's log of this run (its portability lines at INFO: the server's own export and import times). */
    static Path serverLog() {
        return Path.of("target", SERVER_NAME + "-for-tests.log").toAbsolutePath();
    }

    static void run(String channelServerHeap, String mediaServerHeap, Run run) throws Exception {
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        Files.deleteIfExists(serverLog());
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0);
             S3Process s3 = S3Process.start(List.of("-Xmx512m"))) {
            postgres.ensureDatabases(List.of("channels", "media"));
            BenchStack.createTopics(kafka);
            int mediaPort = Ports.free();
            String mediaUrl = "http://127.0.0.1:" + mediaPort;
            Map<String, String> channelConfig = new HashMap<>(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                    "quarkus.datasource.username", PostgresNode.USER,
                    "buddycloud.tokens.issuer", ISSUER,
                    "buddycloud.portability.media-url", mediaUrl,
                    "quarkus.log.level", "WARN",
                    "quarkus.log.category.\"org.buddycloud.channels.portability\".level", "INFO"));
            channelConfig.putAll(BenchStack.serverSettingsFromCommandLine());
            List<String> channelJvm = new ArrayList<>(BenchStack.productJvm(channelServerHeap));
            // -Dbench.server-jvm="-XX:StartFlightRecording=…" profiles the channel server, as in the other benchmarks
            channelJvm.addAll(List.of(System.getProperty("bench.server-jvm", "").split(" ")).stream().filter(o -> !o.isBlank()).toList());
            try (ChannelServerProcess channels = ChannelServerProcess.start(SERVER_NAME, channelConfig, channelJvm);
                 MediaServer media = MediaServer.start(mediaPort, Map.of(
                         "kafka.bootstrap.servers", kafka.bootstrapServers(),
                         "quarkus.datasource.jdbc.url", postgres.jdbcUrl("media"),
                         "quarkus.datasource.username", PostgresNode.USER,
                         "buddycloud.s3.endpoint", s3.endpoint(),
                         "buddycloud.s3.access-key", S3Process.ACCESS_KEY,
                         "buddycloud.s3.secret-key", S3Process.SECRET_KEY,
                         "buddycloud.auth.jwks-url", channels.baseUrl() + "/.well-known/jwks.json",
                         "buddycloud.auth.issuer", ISSUER,
                         "quarkus.log.level", "WARN"),
                         // deploy/jvm.options, as every service runs (the channel server's own file is its alone)
                         List.of(BenchStack.productJvm(mediaServerHeap).get(0), "-Xmx" + mediaServerHeap))) {
                run.measure(new PortabilityStack(postgres, channels, mediaUrl));
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }

    /**
     * The packaged media server on a port chosen before it starts ({@code QuarkusAppProcess} picks its own when it
     * starts, too late for the channel server that must name it).
     */
    private record MediaServer(Process process) implements AutoCloseable {

        static MediaServer start(int port, Map<String, String> config, List<String> jvm) throws IOException {
            Path jar = Path.of(System.getProperty("buddycloud.media-server.app", "../media-server/target/quarkus-app/quarkus-run.jar"));
            if (!Files.exists(jar)) {
                throw new IllegalStateException("the media server is not packaged at " + jar.toAbsolutePath()
                        + "; build it first (mvn package -pl media-server -am)");
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvm);
            command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
            config.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-jar", jar.toString()));
            Path log = Files.createDirectories(Path.of("target")).resolve("media-server-portability-for-tests.log").toAbsolutePath();
            MediaServer media = new MediaServer(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start());
            media.awaitReady("http://127.0.0.1:" + port, log);
            return media;
        }

        private void awaitReady(String baseUrl, Path log) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the media server exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the media server", e);
                }
                LockSupportPause.pause(Duration.ofMillis(200));
            }
            close();
            throw new IllegalStateException("the media server was not ready within 120 s; see " + log);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
