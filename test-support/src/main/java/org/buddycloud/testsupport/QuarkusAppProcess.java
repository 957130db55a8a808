package org.buddycloud.testsupport;

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
 * A packaged Quarkus service (its fast-jar) as a child process on a free port, started with its
 * configuration as system properties and ready once {@code /q/health/ready} says so.
 */
public final class QuarkusAppProcess implements AutoCloseable {

    /**
     * How long a service may take to become ready: 120 s, or {@code -Dbuddycloud.test.ready-timeout-seconds} where
     * many start one after the other on a busy machine (web-tests starts the whole stack).
     */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("buddycloud.test.ready-timeout-seconds", 120));

    private final String name;
    private final Process process;
    private final String baseUrl;
    private final Path log;

    private QuarkusAppProcess(String name, Process process, String baseUrl, Path log) {
        this.name = name;
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    /** Starts {@code jar}, logging to {@code target/<name>-for-tests.log}, and waits until it is ready. */
    public static QuarkusAppProcess start(String name, Path jar, Map<String, String> config, List<String> jvmOptions) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the " + name + " is not packaged at " + jar.toAbsolutePath()
                    + "; build it first (mvn package -pl <module> -am)");
        }
        // a port the caller chose (servers that must know each other's address before they start), else a free one
        int port = config.containsKey("quarkus.http.port") ? Integer.parseInt(config.get("quarkus.http.port")) : Ports.free();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = Path.of("target", name + "-for-tests.log").toAbsolutePath();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            QuarkusAppProcess app = new QuarkusAppProcess(name, process, "http://127.0.0.1:" + port, log);
            app.awaitReady(READY_TIMEOUT);
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name, e);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the " + name, e);
            }
            LockSupportPause.pause(Duration.ofMillis(200));
        }
        close();
        throw new IllegalStateException("the " + name + " was not ready within " + timeout + "; see " + log);
    }

    /**
     * Ends the process as a crash would (SIGKILL): no shutdown hooks, no graceful close of its connections,
     * transactions or queues; returns once it is gone.
     */
    public void kill() {
        try {
            if (!process.destroyForcibly().waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the " + name + " outlived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the " + name, e);
        }
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
