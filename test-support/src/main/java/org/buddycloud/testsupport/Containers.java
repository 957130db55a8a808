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
    /** The image docker-compose.yml runs. */
    static final String ELASTICSEARCH_IMAGE = "elasticsearch:8.17.4";
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

    /**
     * A one-node Elasticsearch without security, as docker-compose.yml runs it; its HTTP base URL is
     * {@code http://<host>:<mapped 9200>}. Only where a Docker engine runs ({@link #dockerAvailable}).
     */
    public static GenericContainer<?> elasticsearch() {
        GenericContainer<?> elasticsearch = new GenericContainer<>(ELASTICSEARCH_IMAGE)
                .withEnv("discovery.type", "single-node").withEnv("xpack.security.enabled", "false")
                .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m").withExposedPorts(9200)
                .waitingFor(org.testcontainers.containers.wait.strategy.Wait.forHttp("/_cluster/health?wait_for_status=yellow")
                        .forPort(9200).withStartupTimeout(java.time.Duration.ofMinutes(3)));
        elasticsearch.start();
        return elasticsearch;
    }

    /** Whether a Docker engine answers here (Testcontainers' own check). */
    public static boolean dockerAvailable() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public static void stop(GenericContainer<?> container) {
        if (container != null) {
            container.stop();
        }
    }
}
