package org.buddycloud.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.X509TrustManager;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.Ports;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.TestDirectories;

/**
 * Two domains, each with its own channel server and database: Romeo's {@code montague.lit} and Juliet's
 * {@code capulet.lit}, federating over server-to-server XMPP on loopback. They find each other by static routes (no
 * DNS here) and prove themselves by dialback, as any two servers would. One broker carries both servers' events under
 * topic names of their own, so that neither hears the other's events except over XMPP.
 */
final class Federation implements AutoCloseable {

    static final String MONTAGUE = "montague.lit";
    static final String CAPULET = "capulet.lit";
    private static final String INTERNAL_SECRET = "federation-tests-internal-secret";
    private static final Path TRUST_STORE = Path.of("target", "federation-trust.p12").toAbsolutePath();

    private final Path kafkaDir;
    private final Path postgresDir;
    private final KafkaNode kafka;
    private final PostgresNode postgres;
    private final Map<String, Integer> s2sPorts = Map.of(MONTAGUE, Ports.free(), CAPULET, Ports.free());
    private final Map<String, ChannelServerProcess> servers = new ConcurrentHashMap<>();
    private volatile X509TrustManager trust;

    private Federation(Path kafkaDir, KafkaNode kafka, Path postgresDir, PostgresNode postgres) {
        this.kafkaDir = kafkaDir;
        this.kafka = kafka;
        this.postgresDir = postgresDir;
        this.postgres = postgres;
    }

    static Federation start() {
        KafkaTestResource.quietBrokerLogs();
        Path kafkaDir = TestDirectories.create("kafka-");
        Path postgresDir = TestDirectories.create("postgres-");
        KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
        PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0);
        postgres.ensureDatabases(List.of("montague", "capulet"));
        Federation federation = new Federation(kafkaDir, kafka, postgresDir, postgres);
        try {
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (String domain : List.of(MONTAGUE, CAPULET)) {
                starts.add(CompletableFuture.runAsync(() -> federation.servers.put(domain, federation.startServer(domain))));
            }
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            federation.trustEachOther();
        } catch (CompletionException e) {
            federation.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return federation;
    }

    ChannelServerClient rest(String domain) {
        return new ChannelServerClient(servers.get(domain).baseUrl());
    }

    String baseUrl(String domain) {
        return servers.get(domain).baseUrl();
    }

    int xmppPort(String domain) {
        return servers.get(domain).xmppPort();
    }

    int s2sPort(String domain) {
        return s2sPorts.get(domain);
    }

    /** Trusts the self-signed certificates the two servers generated on their first start, and nothing else. */
    X509TrustManager trust() {
        if (trust == null) {
            trust = Cluster.trusting(List.of(servers.get(MONTAGUE).tlsKeyStore(), servers.get(CAPULET).tlsKeyStore()));
        }
        return trust;
    }

    /**
     * Each server trusts the other's certificate (both generated on their first start, so written now, before any
     * stream: the servers read the trust store again when it changes), so they prove their domains with it (SASL
     * EXTERNAL, XEP-0178); a peer without such a certificate still proves itself by dialback.
     */
    private void trustEachOther() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (ChannelServerProcess server : servers.values()) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(server.tlsKeyStore())) {
                    own.load(in, "changeit".toCharArray());
                }
                for (String alias : Collections.list(own.aliases())) {
                    trusted.setCertificateEntry(server.tlsKeyStore().getFileName() + "-" + alias, own.getCertificate(alias));
                }
            }
            try (OutputStream out = Files.newOutputStream(TRUST_STORE)) {
                trusted.store(out, "changeit".toCharArray());
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the servers' trust store", e);
        }
    }

    private ChannelServerProcess startServer(String domain) {
        String name = domain.substring(0, domain.indexOf('.'));
        String other = domain.equals(MONTAGUE) ? CAPULET : MONTAGUE;
        Map<String, String> config = new HashMap<>();
        kafka.clientConfig().forEach((key, value) -> config.put("kafka." + key, value));
        for (String topic : List.of("accounts", "channels", "posts", "memberships", "media", "dead-letters")) {
            config.put("buddycloud.topics." + topic, name + "." + topic);
        }
        config.put("buddycloud.federation.trust-store", TRUST_STORE.toString());
        config.putAll(Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(name),
                "quarkus.datasource.username", PostgresNode.USER,
                "quarkus.datasource.password", "",
                "buddycloud.domain", domain,
                "buddycloud.tokens.issuer", "urn:buddycloud:federation-tests:" + name + ":" + UUID.randomUUID(),
                "buddycloud.internal.secret", INTERNAL_SECRET,
                "buddycloud.federation.enabled", "true",
                "buddycloud.federation.port", Integer.toString(s2sPorts.get(domain)),
                "buddycloud.federation.dns.enabled", "false",
                "buddycloud.federation.routes.\"" + other + "\"", "127.0.0.1:" + s2sPorts.get(other)));
        return ChannelServerProcess.start(name, config);
    }

    @Override
    public void close() {
        servers.values().forEach(ChannelServerProcess::close);
        postgres.close();
        kafka.close();
        TestDirectories.delete(kafkaDir);
        TestDirectories.delete(postgresDir);
    }
}
