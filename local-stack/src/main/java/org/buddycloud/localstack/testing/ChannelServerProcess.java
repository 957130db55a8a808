package org.buddycloud.localstack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.buddycloud.localstack.Ports;

/**
 * The packaged channel server (its Quarkus fast-jar) as a child process, for the tests of the
 * services that need real tokens from it. The reactor builds channel-server before them.
 */
public final class ChannelServerProcess implements AutoCloseable {

    private final Process process;
    private final String baseUrl;
    private final Path log;
    private final int xmppPort;

    private ChannelServerProcess(Process process, String baseUrl, Path log, int xmppPort) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
        this.xmppPort = xmppPort;
    }

    /** Started for tests: small heap, C1 only, because a quick start matters more than peak speed. */
    public static ChannelServerProcess start(Map<String, String> config) {
        return start(config, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    }

    /** Started with the given JVM options (benchmarks want the production JIT). */
    public static ChannelServerProcess start(Map<String, String> config, List<String> jvmOptions) {
        Path jar = Path.of(System.getProperty("buddycloud.channel-server.app", "../channel-server/target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the channel server is not packaged at " + jar.toAbsolutePath()
                    + "; build it first (mvn package -pl channel-server -am)");
        }
        int port = Ports.free();
        // its own XMPP port and certificate, so that it neither meets a running stack on 5222 nor litters the module folder
        Map<String, String> all = new java.util.HashMap<>(Map.of("buddycloud.xmpp.port", Integer.toString(Ports.free()),
                "buddycloud.xmpp.host", "127.0.0.1",
                "buddycloud.xmpp.tls.generated-key-store", Path.of("target", "channel-server-xmpp-tls.p12").toAbsolutePath().toString()));
        all.putAll(config);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        all.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = Path.of("target", "channel-server-for-tests.log").toAbsolutePath();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ChannelServerProcess server = new ChannelServerProcess(process, "http://127.0.0.1:" + port, log,
                    Integer.parseInt(all.get("buddycloud.xmpp.port")));
            server.awaitReady(Duration.ofSeconds(120));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the channel server", e);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The XMPP client port (STARTTLS; SCRAM also works without TLS). */
    public int xmppPort() {
        return xmppPort;
    }

    /** The server process, for measuring its memory. */
    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the channel server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the channel server", e);
            }
            LockSupportPause.pause(Duration.ofMillis(200));
        }
        close();
        throw new IllegalStateException("the channel server was not ready within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
