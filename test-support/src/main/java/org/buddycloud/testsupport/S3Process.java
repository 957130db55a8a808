package org.buddycloud.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local S3 endpoint (module {@code local-s3}: s3proxy over a folder) as a child process, for
 * tests and benchmarks. A process of its own because its jclouds needs a Guice that must not meet
 * the one on a Quarkus test class path. The reactor builds local-s3 before the services.
 */
public final class S3Process implements AutoCloseable {

    public static final String ACCESS_KEY = "buddycloud-test";
    public static final String SECRET_KEY = "buddycloud-test-secret";
    private static final Pattern READY = Pattern.compile("^READY s3 (http://\\S+)");

    private final Process process;
    private final String endpoint;
    private final Path data;

    private S3Process(Process process, String endpoint, Path data) {
        this.process = process;
        this.endpoint = endpoint;
        this.data = data;
    }

    /** Started for tests: small heap, C1 only, because a quick start matters more than peak speed. */
    public static S3Process start() {
        return start(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    }

    /** Started with the given JVM options (benchmarks want the production JIT). */
    public static S3Process start(List<String> jvmOptions) {
        Path module = Path.of(System.getProperty("buddycloud.local-s3.dir", "../local-s3/target"));
        Path jar = module.resolve("local-s3-0.1.0-SNAPSHOT.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the local S3 endpoint is not built at " + jar.toAbsolutePath()
                    + "; build it first (mvn package -pl local-s3)");
        }
        Path data = TestDirectories.create("s3-");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", jar.toAbsolutePath() + java.io.File.pathSeparator + module.toAbsolutePath().resolve("lib") + "/*",
                "org.buddycloud.locals3.S3Endpoint", "--port", "0", "--data", data.toString(),
                "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> awaitReady(process));
            String endpoint = ready.get(60, TimeUnit.SECONDS);
            return new S3Process(process, endpoint, data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local S3 endpoint", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the local S3 endpoint did not start", e);
        }
    }

    /** Reads the endpoint's output until its READY line, then keeps draining it so it never blocks on a full pipe. */
    private static String awaitReady(Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        try {
            for (String line; (line = out.readLine()) != null; ) {
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    Thread drain = new Thread(() -> drain(out), "s3-output");
                    drain.setDaemon(true);
                    drain.start();
                    return ready.group(1);
                }
                seen.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the local S3 endpoint exited: " + seen);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discarded: warnings only, and the test's own log says what failed
                continue;
            }
        } catch (IOException e) {
            // the process ended
            return;
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TestDirectories.delete(data);
    }
}
