package org.buddycloud.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.X509TrustManager;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.Ports;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.ProsodyProcess;
import org.buddycloud.testsupport.TestDirectories;
import org.buddycloud.testsupport.TestDns;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * Romeo's {@code montague.lit} on our channel server (with a database and a broker of its own) and Mercutio's
 * {@code verona.lit} and {@code mantua.lit} on a real Prosody, federating over server-to-server XMPP on loopback as any
 * two servers would: STARTTLS, then Server Dialback both ways. We reach Prosody by static routes; Prosody, which has
 * none, finds us by the SRV record {@code _xmpp-server._tcp.montague.lit} in a DNS server of the test's own.
 */
final class ProsodyFederation implements AutoCloseable {

    static final String MONTAGUE = "montague.lit";
    static final String VERONA = "verona.lit";
    /** Prosody's second domain, which only our side contacts: the streams for it are opened by us, not by Prosody. */
    static final String MANTUA = "mantua.lit";
    /** Apart from {@link Federation}'s montague.lit: its own log and certificate. */
    private static final String NAME = "montague-beside-prosody";
    private static final Path LOG = Path.of("target", NAME + "-for-tests.log");

    private final int ourS2sPort = Ports.free();
    private final int prosodyS2sPort = Ports.free();
    private TestDns dns;
    private ProsodyProcess prosody;
    private Path kafkaDir;
    private Path postgresDir;
    private KafkaNode kafka;
    private PostgresNode postgres;
    private ChannelServerProcess server;
    private X509TrustManager trust;

    private ProsodyFederation() {
    }

    static ProsodyFederation start() {
        ProsodyFederation federation = new ProsodyFederation();
        try {
            federation.startAll();
        } catch (RuntimeException e) {
            federation.close();
            throw e;
        }
        return federation;
    }

    private void startAll() {
        // the domain and its channel service, as an operator publishes both (README "Federation")
        dns = new TestDns().xmppServer(MONTAGUE, ourS2sPort).xmppServer("channels." + MONTAGUE, ourS2sPort);
        prosody = ProsodyProcess.startFederated(List.of(VERONA, MANTUA), prosodyS2sPort,
                new InetSocketAddress("127.0.0.1", dns.port()));
        KafkaTestResource.quietBrokerLogs();
        kafkaDir = TestDirectories.create("kafka-");
        kafka = KafkaNode.start(kafkaDir, 0, 0);
        postgresDir = TestDirectories.create("postgres-");
        postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0);
        postgres.ensureDatabases(List.of("montague"));
        forgetLog();
        Map<String, String> config = new HashMap<>();
        kafka.clientConfig().forEach((key, value) -> config.put("kafka." + key, value));
        config.putAll(Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl("montague"),
                "quarkus.datasource.username", PostgresNode.USER,
                "quarkus.datasource.password", "",
                "buddycloud.domain", MONTAGUE,
                "buddycloud.tokens.issuer", "urn:buddycloud:prosody-federation-tests:" + UUID.randomUUID(),
                "buddycloud.internal.secret", "prosody-federation-tests-internal-secret",
                "buddycloud.federation.enabled", "true",
                "buddycloud.federation.port", Integer.toString(ourS2sPort),
                "buddycloud.federation.dns.enabled", "false",
                "buddycloud.federation.routes.\"" + VERONA + "\"", "127.0.0.1:" + prosodyS2sPort));
        config.put("buddycloud.federation.routes.\"" + MANTUA + "\"", "127.0.0.1:" + prosodyS2sPort);
        server = ChannelServerProcess.start(NAME, config);
        trust = Cluster.trusting(List.of(server.tlsKeyStore()));
    }

    ChannelServerClient rest() {
        return new ChannelServerClient(server.baseUrl());
    }

    int xmppPort() {
        return server.xmppPort();
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** Trusts the self-signed certificate our server generated, and nothing else. */
    X509TrustManager trust() {
        return trust;
    }

    /**
     * A new account on Prosody, logged in (plain, as Prosody's other users in these tests) with initial presence sent.
     */
    XMPPTCPConnection prosodyUser(String prefix, String resource) throws Exception {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        prosody.register(username, password);
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder().setXmppDomain(VERONA)
                .setHost("127.0.0.1").setPort(prosody.c2sPort()).setUsernameAndPassword(username, password)
                .setSecurityMode(SecurityMode.disabled).setResource(resource).build());
        connection.setReplyTimeout(20_000);
        // a buddycloud channel's affiliation events reach Prosody's users too, as buddycloud clients take them
        connection.setParsingExceptionCallback(Xmpp.SKIP_AFFILIATION_EVENTS);
        connection.connect().login();
        return connection;
    }

    /** What went on between the servers, for a failing test's message: Prosody's log, and where ours is. */
    String logs() {
        return "\n--- Prosody ---\n" + prosody.log() + "--- our server (" + MONTAGUE + "): " + LOG.toAbsolutePath();
    }

    /** QuarkusAppProcess appends to a service's log; a run's log should hold that run only. */
    private static void forgetLog() {
        try {
            Files.deleteIfExists(LOG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (prosody != null) {
            prosody.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (kafkaDir != null) {
            TestDirectories.delete(kafkaDir);
        }
        if (postgresDir != null) {
            TestDirectories.delete(postgresDir);
        }
    }
}
