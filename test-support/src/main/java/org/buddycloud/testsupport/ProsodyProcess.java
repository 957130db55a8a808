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
 * benchmarks that prove interoperability: external components (XEP-0114), server-to-server streams with Server
 * Dialback (XEP-0220) and, optionally, Prosody's own {@code mod_pubsub} as a baseline. See RECIPES §2 for what this is
 * built on.
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
     * Whether {@link #startFederated} works here: Prosody is installed and its Lua has lua-unbound, without which Prosody
     * ignores the {@code unbound} settings and asks the system's resolver, which knows none of the tests' domains.
     */
    public static boolean federationInstalled() {
        if (!installed()) {
            return false;
        }
        try {
            String shebang = Files.readAllLines(PROSODY).get(0);
            if (!shebang.startsWith("#!")) {
                return false;
            }
            List<String> command = new ArrayList<>(List.of(shebang.substring(2).trim().split("\\s+")));
            command.addAll(List.of("-e", "require 'lunbound'"));
            Process lua = new ProcessBuilder(command).redirectErrorStream(true).start();
            lua.getInputStream().readAllBytes();
            return lua.waitFor(30, TimeUnit.SECONDS) && lua.exitValue() == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts Prosody for {@code domain} with the given external components (name → secret) and, when
     * {@code pubsubAdmin} is not null, a {@code mod_pubsub} component {@code pubsub.<domain>} whose nodes
     * that user may create.
     */
    public static ProsodyProcess start(String domain, Map<String, String> components, String pubsubAdmin) {
        Path dir = newDirectory();
        int c2s = Ports.free();
        int component = Ports.free();
        String admins = pubsubAdmin == null ? "" : "\"" + pubsubAdmin + "@" + domain + "\"";
        String externals = components.entrySet().stream().map(c -> "Component \"" + c.getKey() + "\"\n  component_secret = \""
                + c.getValue() + "\"\n").collect(Collectors.joining());
        String pubsub = pubsubAdmin == null ? "" : "Component \"pubsub." + domain + "\" \"pubsub\"\n";
        String config = common(dir, admins, c2s, component, "", "warn") + """
                s2s_ports = { }
                modules_disabled = { "s2s" }
                VirtualHost "%s"
                """.formatted(domain) + pubsub + externals;
        ProsodyProcess prosody = launch(dir, config, domain, c2s, component);
        if (!components.isEmpty()) {
            // Prosody opens its component port only when external components are configured
            prosody.awaitPort(component);
        }
        return prosody;
    }

    /**
     * Starts Prosody for {@code domains} (its users register on the first) as a server of the federated XMPP network:
     * server-to-server streams on {@code s2sPort}, encrypted (STARTTLS, with a self-signed certificate for each domain)
     * and authenticated by Server Dialback, since no certificate here is one another server could verify. Prosody has
     * no static routes: it finds other domains' servers by SRV and A records, asked of {@code dnsServer} alone (a
     * {@link TestDns} that leads them to loopback).
     */
    public static ProsodyProcess startFederated(List<String> domains, int s2sPort, InetSocketAddress dnsServer) {
        Path dir = newDirectory();
        int c2s = Ports.free();
        int component = Ports.free();
        StringBuilder hosts = new StringBuilder();
        for (String domain : domains) {
            Path certificate = dir.resolve(domain + ".crt");
            Path key = dir.resolve(domain + ".key");
            run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + domain,
                    "-addext", "subjectAltName=DNS:" + domain, "-keyout", key.toString(), "-out", certificate.toString()));
            hosts.append("""
                    VirtualHost "%s"
                      ssl = { certificate = "%s"; key = "%s"; }
                    """.formatted(domain, certificate, key));
        }
        // no resolv.conf and no hosts file: the made-up domains exist only in the test's DNS. Logged from info on, so
        // that a failing test shows how each stream to or from Prosody began and ended.
        String config = common(dir, "", c2s, component, ", \"dialback\"", "info") + """
                s2s_ports = { %1$d }
                s2s_require_encryption = true
                s2s_secure_auth = false
                certificates = "%2$s"
                unbound = { resolvconf = false; hoststxt = false; forward = "%3$s@%4$d"; }
                """.formatted(s2sPort, dir, dnsServer.getAddress().getHostAddress(), dnsServer.getPort()) + hosts;
        ProsodyProcess prosody = launch(dir, config, domains.get(0), c2s, component);
        prosody.awaitPort(s2sPort);
        return prosody;
    }

    private static Path newDirectory() {
        if (!installed()) {
            throw new IllegalStateException("Prosody is not installed: apt-get install -y prosody");
        }
        try {
            Path dir = Files.createTempDirectory("buddycloud-prosody-");
            Files.createDirectories(dir.resolve("data"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What every Prosody here has: loopback only, in-band registration, plain authentication allowed, generous limits. */
    private static String common(Path dir, String admins, int c2s, int component, String moreModules, String logLevel) {
        return """
                pidfile = "%1$s/prosody.pid"
                data_path = "%1$s/data"
                admins = { %2$s }
                interfaces = { "127.0.0.1" }
                c2s_ports = { %3$d }
                http_ports = { }
                https_ports = { }
                component_ports = { %4$d }
                component_interfaces = { "127.0.0.1" }
                modules_enabled = { "disco", "roster", "saslauth", "tls", "ping", "private", "version", "posix", "register"%5$s }
                allow_registration = true
                authentication = "internal_hashed"
                c2s_require_encryption = false
                allow_unencrypted_plain_auth = true
                c2s_stanza_size_limit = 1048576
                limits = { c2s = { rate = "100mb/s" }; s2sin = { rate = "100mb/s" }; }
                log = { %6$s = "%1$s/prosody.log" }
                """.formatted(dir, admins, c2s, component, moreModules, logLevel);
    }

    private static ProsodyProcess launch(Path dir, String configuration, String domain, int c2s, int component) {
        try {
            Path config = dir.resolve("prosody.cfg.lua");
            Files.writeString(config, configuration);
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
            return prosody;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
