package org.buddycloud.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) whose data lives in a
 * folder of our choosing and survives restarts: the storage is formatted once, with a cluster id
 * kept in that folder, and every later start reuses it. Same code for the local stack and tests.
 *
 * <p>Topics are not created on first use, as on a production cluster: the services create theirs.
 * {@link #startSecured} gives clients a SASL/SCRAM listener only (the broker talks to itself on a
 * plain one), for proving that every Kafka client of the services takes the security settings.
 */
public final class KafkaNode implements AutoCloseable {

    /** A SCRAM-SHA-256 user the secured listener knows. */
    public record ScramUser(String name, String password) {
    }

    private static final String SCRAM = "SCRAM-SHA-256";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final ScramUser scramUser;
    private final int internalPort;
    private KafkaRaftServer server;

    private KafkaNode(Path dataDir, int port, int controllerPort, ScramUser scramUser) {
        this.dataDir = dataDir;
        this.port = port == 0 ? Ports.free() : port;
        this.controllerPort = controllerPort == 0 ? Ports.free() : controllerPort;
        this.scramUser = scramUser;
        this.internalPort = scramUser == null ? 0 : Ports.free();
    }

    /** Starts a node on {@code port} (0 picks a free one) keeping its data in {@code dataDir}. */
    public static KafkaNode start(Path dataDir, int port, int controllerPort) {
        KafkaNode node = new KafkaNode(dataDir.toAbsolutePath(), port, controllerPort, null);
        node.start();
        return node;
    }

    /** Starts a node whose clients must log in with SASL SCRAM-SHA-256 as {@code user} (see {@link #clientConfig()}). */
    public static KafkaNode startSecured(Path dataDir, ScramUser user) {
        KafkaNode node = new KafkaNode(dataDir.toAbsolutePath(), 0, 0, user);
        node.start();
        return node;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        Properties properties = properties();
        formatOnce(properties);
        KafkaRaftServer raftServer = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        raftServer.startup();
        server = raftServer;
    }

    /** Stops the node and keeps its data; {@link #start()} brings it back on the same ports. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /**
     * What a client needs to talk to this node, as {@code kafka.*} settings without the prefix: the bootstrap
     * servers, and for a secured node the protocol, mechanism and login.
     */
    public Map<String, String> clientConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrapServers());
        if (scramUser != null) {
            config.put("security.protocol", "SASL_PLAINTEXT");
            config.put("sasl.mechanism", SCRAM);
            config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + scramUser.name() + "\" password=\"" + scramUser.password() + "\";");
        }
        return config;
    }

    public Path dataDir() {
        return dataDir;
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        if (scramUser == null) {
            p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        } else {
            p.put("listeners", "SASL_PLAINTEXT://localhost:" + port + ",INTERNAL://localhost:" + internalPort
                    + ",CONTROLLER://localhost:" + controllerPort);
            p.put("advertised.listeners", "SASL_PLAINTEXT://localhost:" + port + ",INTERNAL://localhost:" + internalPort);
            p.put("inter.broker.listener.name", "INTERNAL");
            p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
            p.put("sasl.enabled.mechanisms", SCRAM);
            p.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** Formats the storage on first use only; later starts find meta.properties and rejoin the same cluster. */
    private void formatOnce(Properties properties) {
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
                return;
            }
            Path config = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                properties.store(out, "written by KafkaNode for kafka-storage format");
            }
            String clusterId = Uuid.randomUuid().toString();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            List<String> format = new ArrayList<>(List.of("format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"));
            if (scramUser != null) {
                // KRaft keeps SCRAM credentials in its metadata log: the user exists from the first start
                format.addAll(List.of("--add-scram", SCRAM + "=[name=" + scramUser.name() + ",password=" + scramUser.password() + "]"));
            }
            int exit = StorageTool.execute(format.toArray(String[]::new), new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exit != 0) {
                throw new IllegalStateException("kafka-storage format failed (" + exit + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data in " + dataDir, e);
        }
    }
}
