package org.buddycloud.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.localstack.Ports;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.QuarkusAppProcess;
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
    private static final Path MEDIA_JAR =
            Path.of(System.getProperty("buddycloud.media-server.app", "../media-server/target/quarkus-app/quarkus-run.jar"));

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
                 QuarkusAppProcess media = QuarkusAppProcess.start("media-server-portability", MEDIA_JAR, Map.ofEntries(
                         // chosen before either starts: the channel server, started first, names it
                         Map.entry("quarkus.http.port", Integer.toString(mediaPort)),
                         Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                         Map.entry("quarkus.datasource.jdbc.url", postgres.jdbcUrl("media")),
                         Map.entry("quarkus.datasource.username", PostgresNode.USER),
                         Map.entry("buddycloud.s3.endpoint", s3.endpoint()),
                         Map.entry("buddycloud.s3.access-key", S3Process.ACCESS_KEY),
                         Map.entry("buddycloud.s3.secret-key", S3Process.SECRET_KEY),
                         Map.entry("buddycloud.auth.jwks-url", channels.baseUrl() + "/.well-known/jwks.json"),
                         Map.entry("buddycloud.auth.issuer", ISSUER),
                         Map.entry("quarkus.log.level", "WARN")),
                         // deploy/jvm.options, as every service runs (the channel server's own file is its alone)
                         List.of(BenchStack.productJvm(mediaServerHeap).get(0), "-Xmx" + mediaServerHeap))) {
                run.measure(new PortabilityStack(postgres, channels, mediaUrl));
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }
}
