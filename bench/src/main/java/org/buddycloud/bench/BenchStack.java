package org.buddycloud.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.TestDirectories;

/** A fresh Kafka, PostgreSQL and packaged channel server (production JIT) for one benchmark, removed afterwards. */
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

    static void run(Map<String, String> config, String heap, Run run) throws Exception {
        runWithServer(config, heap, (server, jdbcUrl) -> run.measure(server.baseUrl(), jdbcUrl));
    }

    static void runWithServer(Map<String, String> config, String heap, ServerRun run) throws Exception {
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("channels"));
            Map<String, String> all = new HashMap<>(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                    "quarkus.datasource.username", PostgresNode.USER,
                    "quarkus.log.level", "WARN"));
            all.putAll(config);
            try (ChannelServerProcess server = ChannelServerProcess.start(all, List.of("-Xmx" + heap))) {
                run.measure(server, postgres.jdbcUrl("channels"));
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }
}
