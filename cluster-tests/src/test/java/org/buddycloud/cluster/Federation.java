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
    /** Chosen before either starts: each asks the other about the archives it made (buddycloud.portability.peers). */
    private final Map<String, Integer> httpPorts = Map.of(MONTAGUE, Ports.free(), CAPULET, Ports.free());
    /** One issuer per domain for the whole run: tokens stay good when a server is restarted. */
    private final Map<String, String> issuers = Map.of(MONTAGUE, "urn:buddycloud:federation-tests:montague:" + UUID.randomUUID(),
            CAPULET, "urn:buddycloud:federation-tests:capulet:" + UUID.randomUUID());
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
        return startServer(domain, Map.of());
    }

    private ChannelServerProcess startServer(String domain, Map<String, String> settings) {
        String name = domain.substring(0, domain.indexOf('.'));
        String other = domain.equals(MONTAGUE) ? CAPULET : MONTAGUE;
        Map<String, String> config = new HashMap<>();
        kafka.clientConfig().forEach((key, value) -> config.put("kafka." + key, value));
        for (String topic : List.of("accounts", "channels", "posts", "memberships", "media", "dead-letters")) {
            config.put("buddycloud.topics." + topic, name + "." + topic);
        }
        config.put("buddycloud.federation.trust-store", TRUST_STORE.toString());
        // a server that was away is tried again within seconds (and at once when it connects to us)
        config.put("buddycloud.federation.queue.last-retry", "3s");
        config.put("buddycloud.federation.request-timeout", "10s");
        config.putAll(Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(name),
                "quarkus.datasource.username", PostgresNode.USER,
                "quarkus.datasource.password", "",
                "buddycloud.domain", domain,
                "buddycloud.tokens.issuer", issuers.get(domain),
                "buddycloud.internal.secret", INTERNAL_SECRET,
                "buddycloud.federation.enabled", "true",
                "buddycloud.federation.port", Integer.toString(s2sPorts.get(domain)),
                "buddycloud.federation.dns.enabled", "false",
                "buddycloud.federation.routes.\"" + other + "\"", "127.0.0.1:" + s2sPorts.get(other)));
        config.put("quarkus.http.port", Integer.toString(httpPorts.get(domain)));
        config.put("buddycloud.portability.peers.\"" + other + "\"", "http://127.0.0.1:" + httpPorts.get(other));
        config.put("buddycloud.portability.poll-interval", "1s");
        // what the federation layer did, in target/<name>-for-tests.log
        config.put("quarkus.log.category.\"org.buddycloud.channels.federation\".level", "DEBUG");
        config.putAll(settings);
        return ChannelServerProcess.start(name, config);
    }

    /** Stops one server cleanly (its database and its queue stay), as an operator would for an outage. */
    void stop(String domain) {
        ChannelServerProcess server = servers.remove(domain);
        if (server != null) {
            server.close();
        }
    }

    /** Starts a stopped server again, on the same database, certificate and server-to-server port. */
    void restart(String domain) {
        restart(domain, Map.of());
    }

    /** The same, with settings of its own (until it is started again without them). */
    void restart(String domain, Map<String, String> settings) {
        servers.put(domain, startServer(domain, settings));
    }

    /** Starts whichever server a test stopped and did not start again (a failed test leaves the next one both). */
    void ensureRunning() {
        for (String domain : List.of(MONTAGUE, CAPULET)) {
            if (!servers.containsKey(domain)) {
                restart(domain);
            }
        }
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
