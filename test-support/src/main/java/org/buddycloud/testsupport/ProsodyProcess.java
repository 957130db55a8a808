package org.buddycloud.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.buddycloud.localstack.Ports;

/**
 * A real Prosody (Debian's package) on loopback with a private configuration, for the tests and
 * benchmarks that prove interoperability: external components (XEP-0114) and, optionally,
 * Prosody's own {@code mod_pubsub} as a baseline. See RECIPES §2 for what this is built on.
 */
public final class ProsodyProcess implements AutoCloseable {

    private static final Path PROSODY = Path.of("/usr/bin/prosody");
    private static final Path PROSODYCTL = Path.of("/usr/bin/prosodyctl");

    private final Process process;
    private final Path dir;
    private final Path config;
    private final String domain;
    private final int c2sPort;
    private final int componentPort;

    private ProsodyProcess(Process process, Path dir, Path config, String domain, int c2sPort, int componentPort) {
        this.process = process;
        this.dir = dir;
        this.config = config;
        this.domain = domain;
        this.c2sPort = c2sPort;
        this.componentPort = componentPort;
    }

    /** Whether Prosody is installed here ({@code apt-get install prosody}). */
    public static boolean installed() {
        return Files.isExecutable(PROSODY) && Files.isExecutable(PROSODYCTL);
    }

    /**
     * Starts Prosody for {@code domain} with the given external components (name → secret) and, when
     * {@code pubsubAdmin} is not null, a {@code mod_pubsub} component {@code pubsub.<domain>} whose nodes
     * that user may create.
     */
    public static ProsodyProcess start(String domain, Map<String, String> components, String pubsubAdmin) {
        if (!installed()) {
            throw new IllegalStateException("Prosody is not installed: apt-get install -y prosody");
        }
        try {
            Path dir = Files.createTempDirectory("buddycloud-prosody-");
            Path data = Files.createDirectories(dir.resolve("data"));
            int c2s = Ports.free();
            int component = Ports.free();
            Path config = dir.resolve("prosody.cfg.lua");
            Files.writeString(config, configuration(dir, data, domain, c2s, component, components, pubsubAdmin));
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "-R", "prosody:prosody", dir.toString()));
                run(List.of("chmod", "755", dir.toString()));
            }
            List<String> command = new ArrayList<>();
            if (root) {
                command.addAll(List.of("runuser", "-u", "prosody", "--"));
            }
            command.addAll(List.of(PROSODY.toString(), "--config", config.toString(), "-F"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("console.log").toFile()).start();
            ProsodyProcess prosody = new ProsodyProcess(process, dir, config, domain, c2s, component);
            prosody.awaitPort(c2s);
            if (!components.isEmpty()) {
                // Prosody opens its component port only when external components are configured
                prosody.awaitPort(component);
            }
            return prosody;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String configuration(Path dir, Path data, String domain, int c2s, int component, Map<String, String> components,
                                        String pubsubAdmin) {
        String admins = pubsubAdmin == null ? "" : "\"" + pubsubAdmin + "@" + domain + "\"";
        String externals = components.entrySet().stream().map(c -> "Component \"" + c.getKey() + "\"\n  component_secret = \""
                + c.getValue() + "\"\n").collect(Collectors.joining());
        String pubsub = pubsubAdmin == null ? "" : "Component \"pubsub." + domain + "\" \"pubsub\"\n";
        return """
                pidfile = "%1$s/prosody.pid"
                data_path = "%2$s"
                admins = { %3$s }
                interfaces = { "127.0.0.1" }
                c2s_ports = { %4$d }
                s2s_ports = { }
                http_ports = { }
                https_ports = { }
                component_ports = { %5$d }
                component_interfaces = { "127.0.0.1" }
                modules_enabled = { "disco", "roster", "saslauth", "tls", "ping", "private", "version", "posix", "register" }
                allow_registration = true
                modules_disabled = { "s2s" }
                authentication = "internal_hashed"
                c2s_require_encryption = false
                allow_unencrypted_plain_auth = true
                c2s_stanza_size_limit = 1048576
                limits = { c2s = { rate = "100mb/s" }; s2sin = { rate = "100mb/s" }; }
                log = { warn = "%1$s/prosody.log" }
                VirtualHost "%6$s"
                """.formatted(dir, data, admins, c2s, component, domain) + pubsub + externals;
    }

    /** Creates an account on this Prosody. */
    public void register(String username, String password) {
        run(List.of(PROSODYCTL.toString(), "--config", config.toString(), "register", username, domain, password));
    }

    public int c2sPort() {
        return c2sPort;
    }

    public int componentPort() {
        return componentPort;
    }

    public String domain() {
        return domain;
    }

    /** The Prosody (Lua) process itself, under {@code runuser} when started as root. */
    public long serverPid() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.contains("lua")).orElse(false)).findFirst()
                .map(ProcessHandle::pid).orElse(process.pid());
    }

    /** Prosody's own log, for a failing test's message. */
    public String log() {
        try {
            Path log = dir.resolve("prosody.log");
            return Files.exists(log) ? Files.readString(log) : Files.readString(dir.resolve("console.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitPort(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prosody exited at start: " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                LockSupportPause.pause(Duration.ofMillis(100));
            }
        }
        throw new IllegalStateException("Prosody did not open port " + port + ": " + log());
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TestDirectories.delete(dir);
    }
}
