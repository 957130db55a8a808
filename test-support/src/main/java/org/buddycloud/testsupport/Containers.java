package org.buddycloud.testsupport;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The {@code -Pcontainers} suites: the same tests against Kafka, PostgreSQL and MinIO in containers (the official
 * images docker-compose.yml uses) instead of the local processes, where a Docker engine exists. Selected with
 * {@code -Dbuddycloud.test.containers=true}; {@link DockerCondition} skips every test, saying why, where Docker is not.
 */
public final class Containers {

    static final String KAFKA_IMAGE = "apache/kafka:3.9.1";
    static final String POSTGRES_IMAGE = "postgres:16";
    static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";

    private Containers() {
    }

    /** Whether this test run asked for containers. */
    public static boolean requested() {
        return Boolean.getBoolean("buddycloud.test.containers");
    }

    static KafkaContainer kafka() {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE).withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        kafka.start();
        return kafka;
    }

    static PostgreSQLContainer postgres(String database) {
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE).withDatabaseName(database);
        postgres.start();
        return postgres;
    }

    static MinIOContainer minio(String accessKey, String secretKey) {
        MinIOContainer minio = new MinIOContainer(MINIO_IMAGE).withUserName(accessKey).withPassword(secretKey);
        minio.start();
        return minio;
    }

    static void stop(GenericContainer<?> container) {
        if (container != null) {
            container.stop();
        }
    }
}
