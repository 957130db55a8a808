package org.buddycloud.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.TestDirectories;

/**
 * A fresh Kafka, PostgreSQL and packaged channel server (production JIT and JVM options) for one benchmark, removed
 * afterwards.
 */
final class BenchStack {

    /** What a benchmark does with the running stack. */
    interface Run {
        void measure(String baseUrl, String jdbcUrl) throws Exception;
    }

    private BenchStack() {
    }

    /** What a benchmark does with the running channel server process. */
    interface ServerRun {
        void measure(ChannelServerProcess server, String jdbcUrl) throws Exception;
    }

    /**
     * The topics, created as an operator would before the services start (they create missing ones themselves,
     * but a server of an earlier version, measured for comparison, relied on the broker creating them).
     */
    static void createTopics(KafkaNode kafka) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(java.util.stream.Stream.of("accounts", "channels", "posts", "memberships", "media", "dead-letters")
                    .map(name -> new org.apache.kafka.clients.admin.NewTopic("buddycloud." + name, 3, (short) 1)).toList()).all().get();
        }
    }

    /** {@code -Dbench.server.<key>=<value>} sets {@code <key>} on the server under test, to compare settings in one run. */
    static Map<String, String> serverSettingsFromCommandLine() {
        Map<String, String> settings = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench.server."))
                .forEach(name -> settings.put(name.substring("bench.server.".length()), System.getProperty(name)));
        return settings;
    }

    /**
     * A JDBC connection straight to the stack's PostgreSQL, as the server's own user: for a benchmark that writes its
     * data set in SQL (an archive, rosters) instead of through the server, or reads what the server wrote.
     */
    static java.sql.Connection database(String jdbcUrl) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl, PostgresNode.USER, "");
    }

    static void run(Map<String, String> config, String heap, Run run) throws Exception {
        runWithServer(config, heap, (server, jdbcUrl) -> run.measure(server.baseUrl(), jdbcUrl));
    }

    static void runWithServer(Map<String, String> config, String heap, ServerRun run) throws Exception {
        runWithReplicas(config, heap, (server, jdbcUrl, replicas) -> run.measure(server, jdbcUrl));
    }

    /** Starts another replica of the channel server on the same PostgreSQL and Kafka; the caller closes it. */
    interface Replicas {
        ChannelServerProcess start(String replicaId);
    }

    /** What a benchmark does with the running channel server and the means to start more replicas beside it. */
    interface ReplicaRun {
        void measure(ChannelServerProcess first, String jdbcUrl, Replicas replicas) throws Exception;
    }

    /**
     * The JVM options the channel server runs with wherever it is deployed ({@code deploy/jvm.options} of every service,
     * then its own {@code deploy/jvm/channel-server.options}, each passed to java as {@code @file} as ./buddycloud and the
     * image's entrypoint do; {@code -Dbuddycloud.jvm-options=<file>} and {@code -Dbuddycloud.channel-server.jvm-options=<file>}
     * measure others), then the benchmark's heap bound where the launchers put theirs.
     */
    static List<String> productJvm(String heap) {
        return List.of(options("buddycloud.jvm-options", "../deploy/jvm.options"),
                options("buddycloud.channel-server.jvm-options", "../deploy/jvm/channel-server.options"), "-Xmx" + heap);
    }

    private static String options(String property, String repositoryFile) {
        Path options = Path.of(System.getProperty(property, repositoryFile)).toAbsolutePath();
        if (!java.nio.file.Files.isRegularFile(options)) {
            throw new IllegalStateException("no JVM options at " + options + " (" + repositoryFile + " of the repository)");
        }
        return "@" + options;
    }

    /**
     * As {@link #runWithServer}, the first server being replica {@code bench-1} ({@code buddycloud.cluster.replica-id});
     * {@code replicas.start(id)} starts another with the same settings and heap on the same database and Kafka, with
     * its own HTTP and XMPP ports and its own log ({@code target/channel-server-<id>-for-tests.log}).
     */
    static void runWithReplicas(Map<String, String> config, String heap, ReplicaRun run) throws Exception {
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("channels"));
            createTopics(kafka);
            Map<String, String> all = new HashMap<>(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                    "quarkus.datasource.username", PostgresNode.USER,
                    "quarkus.log.level", "WARN"));
            all.putAll(config);
            all.putAll(serverSettingsFromCommandLine());
            List<String> jvm = new java.util.ArrayList<>(productJvm(heap));
            // -Dbench.server-jvm="-XX:StartFlightRecording=…" profiles the server under test
            jvm.addAll(List.of(System.getProperty("bench.server-jvm", "").split(" ")).stream().filter(o -> !o.isBlank()).toList());
            Replicas replicas = replicaId -> {
                Map<String, String> settings = new HashMap<>(all);
                settings.put("buddycloud.cluster.replica-id", replicaId);
                return ChannelServerProcess.start("channel-server-" + replicaId, settings, jvm);
            };
            try (ChannelServerProcess server = replicas.start("bench-1")) {
                run.measure(server, postgres.jdbcUrl("channels"), replicas);
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }
}
