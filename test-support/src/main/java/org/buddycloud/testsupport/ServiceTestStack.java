package org.buddycloud.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;

/**
 * What a service other than the channel server needs to be tested for real: a Kafka broker, a
 * PostgreSQL, and the packaged channel server running against both, issuing real tokens and
 * publishing real account events. Started in that order (one resource, so the order is ours). In -Pcontainers the broker and
 * the database are containers ({@link Containers}).
 */
public class ServiceTestStack implements QuarkusTestResourceLifecycleManager {

    /** Configuration key under which tests find the channel server's base URL. */
    public static final String CHANNEL_SERVER_URL = "buddycloud.test.channel-server-url";

    /** The shared secret of the channel server's internal API in tests. */
    public static final String INTERNAL_SECRET = "test-internal-secret";

    /** Configuration key under which tests find the channel server's XMPP client port. */
    public static final String CHANNEL_SERVER_XMPP_PORT = "buddycloud.test.channel-server-xmpp-port";

    private Path kafkaDir;
    private Path postgresDir;
    private KafkaNode kafka;
    private PostgresNode postgres;
    private ChannelServerProcess channelServer;
    private org.testcontainers.kafka.KafkaContainer kafkaContainer;
    private org.testcontainers.postgresql.PostgreSQLContainer postgresContainer;

    /** The broker of the stack; {@link SecuredServiceTestStack} starts one that demands SASL/SCRAM. */
    protected KafkaNode startKafka(Path dataDir) {
        return KafkaNode.start(dataDir, 0, 0);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> kafkaSettings = new HashMap<>();
        String jdbcUrl;
        String user;
        String password;
        if (Containers.requested()) {
            kafkaContainer = Containers.kafka();
            kafkaSettings.put("kafka.bootstrap.servers", kafkaContainer.getBootstrapServers());
            postgresContainer = Containers.postgres("channels");
            jdbcUrl = postgresContainer.getJdbcUrl();
            user = postgresContainer.getUsername();
            password = postgresContainer.getPassword();
        } else {
            KafkaTestResource.quietBrokerLogs();
            kafkaDir = TestDirectories.create("kafka-");
            kafka = startKafka(kafkaDir);
            kafka.clientConfig().forEach((key, value) -> kafkaSettings.put("kafka." + key, value));
            postgresDir = TestDirectories.create("postgres-");
            postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0);
            postgres.ensureDatabases(databases());
            jdbcUrl = postgres.jdbcUrl("channels");
            user = PostgresNode.USER;
            password = "";
        }
        String issuer = "urn:buddycloud:test:" + java.util.UUID.randomUUID();
        Map<String, String> channelServerConfig = new HashMap<>(kafkaSettings);
        channelServerConfig.putAll(Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password,
                "buddycloud.tokens.issuer", issuer,
                // rotate often, so tests see services pick up a signing key that appeared after they started
                "buddycloud.tokens.key-rotation-interval", "10s",
                "buddycloud.tokens.key-reload-interval", "2s",
                "buddycloud.tokens.key-publish-ahead", "5s",
                "buddycloud.internal.secret", INTERNAL_SECRET));
        channelServerConfig.putAll(channelServerSettings());
        channelServer = ChannelServerProcess.start(channelServerConfig);
        Map<String, String> config = new HashMap<>(kafkaSettings);
        config.putAll(Map.of(
                "buddycloud.auth.issuer", issuer,
                "buddycloud.auth.jwks-url", channelServer.baseUrl() + "/.well-known/jwks.json",
                CHANNEL_SERVER_URL, channelServer.baseUrl(),
                // services under test may confirm XMPP users' requests (XEP-0070) through the channel server
                "buddycloud.internal.secret", INTERNAL_SECRET,
                "buddycloud.auth.confirmation-url", channelServer.baseUrl() + "/internal/confirm",
                CHANNEL_SERVER_XMPP_PORT, Integer.toString(channelServer.xmppPort())));
        config.putAll(startMore(config, channelServer));
        return config;
    }

    /** More settings of the channel server (a subclass whose service joins the domain as a component adds its own). */
    protected Map<String, String> channelServerSettings() {
        return Map.of();
    }

    /** The databases of the stack's PostgreSQL; a subclass that starts more services adds theirs. */
    protected List<String> databases() {
        return List.of("channels");
    }

    /**
     * Starts more services once the channel server runs (a subclass testing the gateway starts those behind it),
     * given the configuration the service under test gets so far; returns what to add to it.
     */
    protected Map<String, String> startMore(Map<String, String> config, ChannelServerProcess channelServer) {
        return Map.of();
    }

    /** The JDBC URL of one of {@link #databases()} (local infrastructure only). */
    protected String jdbcUrl(String database) {
        if (postgres == null) {
            throw new IllegalStateException("more databases than the channel server's need the local PostgreSQL");
        }
        return postgres.jdbcUrl(database);
    }

    /** Stops what {@link #startMore} started; called before the channel server stops. */
    protected void stopMore() {
    }

    @Override
    public void stop() {
        stopMore();
        if (channelServer != null) {
            channelServer.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        Containers.stop(postgresContainer);
        Containers.stop(kafkaContainer);
        if (kafka != null) {
            kafka.close();
        }
        TestDirectories.delete(kafkaDir);
        TestDirectories.delete(postgresDir);
    }
}
