package org.buddycloud.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.TestDirectories;

/**
 * Two channel-server replicas, each a process of its own with its own HTTP and XMPP ports, on one PostgreSQL
 * database and one Kafka broker (in this JVM, so that a test can stop it), serving one domain. Configured as
 * test-support's ServiceTestStack configures its channel server, plus the replica's id.
 */
final class Cluster implements AutoCloseable {

    static final String DOMAIN = "localhost";
    static final String CHANNELS = "channels." + DOMAIN;
    static final String INTERNAL_SECRET = "cluster-tests-internal-secret";
    private static final String ISSUER = "urn:buddycloud:cluster-tests:" + UUID.randomUUID();

    private final Path kafkaDir;
    private final Path postgresDir;
    private final KafkaNode kafka;
    private final PostgresNode postgres;
    private final ChannelServerProcess[] replicas = new ChannelServerProcess[2];
    private volatile X509TrustManager trust;

    private Cluster(Path kafkaDir, KafkaNode kafka, Path postgresDir, PostgresNode postgres) {
        this.kafkaDir = kafkaDir;
        this.kafka = kafka;
        this.postgresDir = postgresDir;
        this.postgres = postgres;
    }

    /** Starts the broker, the database and both replicas (at once: they migrate the database under Flyway's lock). */
    static Cluster start() {
        KafkaTestResource.quietBrokerLogs();
        Path kafkaDir = TestDirectories.create("kafka-");
        Path postgresDir = TestDirectories.create("postgres-");
        KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
        PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0);
        postgres.ensureDatabases(List.of("channels"));
        Cluster cluster = new Cluster(kafkaDir, kafka, postgresDir, postgres);
        try {
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (int replica = 1; replica <= 2; replica++) {
                forgetLog(replica);
                int number = replica;
                starts.add(CompletableFuture.runAsync(() -> cluster.replicas[number - 1] = cluster.startReplica(number)));
            }
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            cluster.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return cluster;
    }

    /** A replica as clients see it now (a restarted one listens on new ports). */
    Replica replica(int number) {
        ChannelServerProcess process = replicas[number - 1];
        return new Replica(number, process.baseUrl(), process.xmppPort(), new ChannelServerClient(process.baseUrl()));
    }

    /** Kills the replica as a crash would (SIGKILL): whatever it held in memory is lost. */
    void kill(int number) {
        replicas[number - 1].kill();
    }

    /** Starts a killed replica again, under the same id, and waits until it is ready. */
    void restart(int number) {
        replicas[number - 1] = startReplica(number);
    }

    KafkaNode kafka() {
        return kafka;
    }

    /** Trusts the self-signed certificates the replicas generated on their first start, and nothing else. */
    X509TrustManager trust() {
        if (trust == null) {
            trust = trusting(List.of(replicas[0].tlsKeyStore(), replicas[1].tlsKeyStore()));
        }
        return trust;
    }

    private ChannelServerProcess startReplica(int number) {
        Map<String, String> config = new HashMap<>();
        kafka.clientConfig().forEach((key, value) -> config.put("kafka." + key, value));
        config.putAll(Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                "quarkus.datasource.username", PostgresNode.USER,
                "quarkus.datasource.password", "",
                "buddycloud.domain", DOMAIN,
                "buddycloud.tokens.issuer", ISSUER,
                "buddycloud.internal.secret", INTERNAL_SECRET,
                "buddycloud.cluster.replica-id", name(number)));
        return ChannelServerProcess.start(name(number), config);
    }

    private static String name(int number) {
        return "replica-" + number;
    }

    /** QuarkusAppProcess appends to a service's log; a run's log should hold that run only (and a restart after a kill). */
    private static void forgetLog(int number) {
        try {
            Files.deleteIfExists(Path.of("target", name(number) + "-for-tests.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static X509TrustManager trusting(List<Path> keyStores) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (Path path : keyStores) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(path)) {
                    store.load(in, "changeit".toCharArray());
                }
                for (String alias : Collections.list(store.aliases())) {
                    Certificate certificate = store.getCertificate(alias);
                    trusted.setCertificateEntry(path.getFileName() + "-" + alias, certificate);
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the replicas' certificates", e);
        }
    }

    @Override
    public void close() {
        for (ChannelServerProcess replica : replicas) {
            if (replica != null) {
                replica.close();
            }
        }
        postgres.close();
        kafka.close();
        TestDirectories.delete(kafkaDir);
        TestDirectories.delete(postgresDir);
    }

    /** One replica's addresses, and a REST client of it. */
    record Replica(int number, String baseUrl, int xmppPort, ChannelServerClient rest) {
    }
}
