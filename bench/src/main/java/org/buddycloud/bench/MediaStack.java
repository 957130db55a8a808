package org.buddycloud.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.QuarkusAppProcess;
import org.buddycloud.testsupport.S3Process;
import org.buddycloud.testsupport.TestDirectories;

/**
 * A fresh Kafka, PostgreSQL, S3 endpoint, packaged channel server and packaged media server (production JIT)
 * for one benchmark, removed afterwards.
 */
record MediaStack(KafkaNode kafka, PostgresNode postgres, S3Process s3, ChannelServerProcess channels, QuarkusAppProcess media) {

    static final String ISSUER = "urn:buddycloud:bench";

    /** What a benchmark does with the running stack. */
    interface Run {
        void measure(MediaStack stack) throws Exception;
    }

    String mediaJdbcUrl() {
        return postgres.jdbcUrl("media");
    }

    static void run(Map<String, String> mediaConfig, Run run) throws Exception {
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        List<String> productionJit = List.of("-Xmx512m");
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0);
             S3Process s3 = S3Process.start(productionJit)) {
            postgres.ensureDatabases(List.of("channels", "media"));
            BenchStack.createTopics(kafka);
            try (ChannelServerProcess channels = ChannelServerProcess.start(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                    "quarkus.datasource.username", PostgresNode.USER,
                    "buddycloud.tokens.issuer", ISSUER,
                    "quarkus.log.level", "WARN"), List.of("-Xmx384m"))) {
                Map<String, String> config = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "quarkus.datasource.jdbc.url", postgres.jdbcUrl("media"),
                        "quarkus.datasource.username", PostgresNode.USER,
                        "buddycloud.s3.endpoint", s3.endpoint(),
                        "buddycloud.s3.access-key", S3Process.ACCESS_KEY,
                        "buddycloud.s3.secret-key", S3Process.SECRET_KEY,
                        "buddycloud.auth.jwks-url", channels.baseUrl() + "/.well-known/jwks.json",
                        "buddycloud.auth.issuer", ISSUER,
                        "quarkus.log.level", "WARN"));
                config.putAll(mediaConfig);
                try (QuarkusAppProcess media = QuarkusAppProcess.start("media-server",
                        Path.of(System.getProperty("buddycloud.media-server.app", "../media-server/target/quarkus-app/quarkus-run.jar")),
                        config, productionJit)) {
                    run.measure(new MediaStack(kafka, postgres, s3, channels, media));
                }
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }
}
