package org.buddycloud.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Elasticsearch 8.19 node in a child JVM, for the search service's Elasticsearch contract suite: the
 * {@code elasticsearch-node} module's {@code HeldNode} (Elasticsearch's own server, Netty HTTP and test framework, all
 * from Maven Central; no Docker). Nothing of Elasticsearch joins the caller's class path: the child runs from
 * {@code elasticsearch-node/target} (the module's jar and {@code target/lib}), built by
 * {@code mvn -pl elasticsearch-node -am package}.
 *
 * <p>Elasticsearch refuses to run as root, so as root the jars are copied to a temporary folder everybody can read
 * and the child runs as {@code nobody} through {@code runuser}. It prints {@code ES_HTTP=127.0.0.1:<port>} once the
 * cluster is green and stops when its standard input closes, which {@link #close()} does (and so does the death of
 * this JVM). The child's output goes to {@code target/elasticsearch-node-*.log} of the calling module.
 *
 * <p>Where it cannot start, {@link #start()} throws {@link UnavailableException} saying why, and
 * {@link #startOrSkip()} turns that into a JUnit assumption ("Elasticsearch suite skipped: ..."). What this node
 * lacks (no {@code GET /}, hence no {@code info()}; no x-pack, Painless, ingest processors, analysis-common or
 * mapper-extras) is listed on {@code HeldNode}.
 */
public final class ElasticsearchNodeProcess implements AutoCloseable {

    /** Where the built {@code elasticsearch-node} module is; default {@code ../elasticsearch-node/target}. */
    public static final String DIR_PROPERTY = "buddycloud.elasticsearch-node.dir";

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    private static final String MAIN_CLASS = "org.buddycloud.esnode.HeldNode";
    private static final Pattern READY = Pattern.compile("ES_HTTP=(127\\.0\\.0\\.1:\\d+)");
    private static final String NOBODY = "nobody";
    private static final Set<PosixFilePermission> EVERYBODY_READS_DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> EVERYBODY_READS_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Process process;
    private final String url;
    private final Path log;
    private final Path scratch;
    private final Thread pump;
    private final long startMillis;
    private final Thread cleanUpAtExit;

    private ElasticsearchNodeProcess(Process process, String url, Path log, Path scratch, Thread pump, long startMillis) {
        this.process = process;
        this.url = url;
        this.log = log;
        this.scratch = scratch;
        this.pump = pump;
        this.startMillis = startMillis;
        // a node nobody closed stops with this JVM (its standard input closes); its copied jars go too
        this.cleanUpAtExit = new Thread(() -> {
            stop(process);
            TestDirectories.delete(scratch);
        }, "elasticsearch-node-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUpAtExit);
    }

    /** Why the node cannot start here, or why it could not. */
    public static final class UnavailableException extends RuntimeException {

        public UnavailableException(String reason) {
            super(reason);
        }

        public UnavailableException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** Starts a node, waiting at most {@link #DEFAULT_START_TIMEOUT} for it. */
    public static ElasticsearchNodeProcess start() {
        return start(DEFAULT_START_TIMEOUT);
    }

    /** Starts a node, or aborts the calling JUnit test (or class, from {@code @BeforeAll}) as skipped, saying why. */
    public static ElasticsearchNodeProcess startOrSkip() {
        try {
            return start();
        } catch (UnavailableException e) {
            Assumptions.abort("Elasticsearch suite skipped: " + e.getMessage());
            throw e; // not reached
        }
    }

    /**
     * The reason the node cannot be started here, found without starting it (module not built, no
     * {@code runuser} or {@code nobody} as root, a Java {@code nobody} cannot run), or empty.
     */
    public static Optional<String> unavailableReason() {
        try {
            classPath(moduleDir());
            if (isRoot()) {
                checkRunAsNobody();
            }
            return Optional.empty();
        } catch (UnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Starts a node, waiting at most {@code timeout} for it to be green. */
    public static ElasticsearchNodeProcess start(Duration timeout) {
        long started = System.nanoTime();
        Path moduleDir = moduleDir();
        List<Path> classPath = classPath(moduleDir);
        boolean root = isRoot();
        if (root) {
            checkRunAsNobody();
        }
        Path scratch = null;
        Process process = null;
        try {
            scratch = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "buddycloud-esnode-");
            Path home = Files.createDirectories(scratch.resolve("home"));
            List<String> command = new ArrayList<>();
            if (root) {
                Files.setPosixFilePermissions(scratch, EVERYBODY_READS_DIR);
                Path jars = Files.createDirectories(scratch.resolve("lib"));
                Files.setPosixFilePermissions(jars, EVERYBODY_READS_DIR);
                List<Path> copies = new ArrayList<>();
                for (Path jar : classPath) {
                    Path copy = jars.resolve(jar.getFileName());
                    Files.copy(jar, copy);
                    Files.setPosixFilePermissions(copy, EVERYBODY_READS_FILE);
                    copies.add(copy);
                }
                classPath = copies;
                UserPrincipal nobody = scratch.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(NOBODY);
                Files.setOwner(home, nobody);
                command.addAll(List.of(runuser(), "-u", NOBODY, "--"));
            }
            command.addAll(List.of(javaExecutable(), "-ea", "-Dtests.security.manager=false",
                    "-Djava.io.tmpdir=" + home, "-Duser.home=" + home, "-Xmx512m",
                    "-cp", String.join(":", classPath.stream().map(Path::toString).toList()), MAIN_CLASS));

            Path log = logFile();
            process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
            CompletableFuture<String> ready = new CompletableFuture<>();
            Process child = process;
            Thread pump = new Thread(() -> pump(child, log, ready), "elasticsearch-node-output");
            pump.setDaemon(true);
            pump.start();
            String address;
            try {
                address = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new UnavailableException("the Elasticsearch node was not ready within " + timeout.toSeconds() + " s; its output: "
                        + log + tail(log));
            } catch (ExecutionException e) {
                throw new UnavailableException(e.getCause().getMessage() + "; its output: " + log + tail(log), e.getCause());
            }
            return new ElasticsearchNodeProcess(process, "http://" + address, log, scratch, pump,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (IOException e) {
            stop(process);
            TestDirectories.delete(scratch);
            throw new UnavailableException("could not prepare the Elasticsearch node: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            TestDirectories.delete(scratch);
            throw new UnavailableException("interrupted while the Elasticsearch node started", e);
        } catch (RuntimeException e) {
            stop(process);
            TestDirectories.delete(scratch);
            throw e;
        }
    }

    /** The node's HTTP address, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return url;
    }

    /** The child's output (the node's log). */
    public Path log() {
        return log;
    }

    /** The child JVM running the node (under {@code runuser} when started as root). */
    public Optional<ProcessHandle> nodeJvm() {
        if (process.info().command().map(c -> c.endsWith("/java")).orElse(false)) {
            return Optional.of(process.toHandle());
        }
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
    }

    /** How long {@link #start()} took, from the call to the node being green. */
    public Duration startTime() {
        return Duration.ofMillis(startMillis);
    }

    /** Closes the child's standard input (the node stops), waits a little, then ends it and its descendants. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanUpAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop(process);
        try {
            pump.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TestDirectories.delete(scratch);
    }

    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            }
        }
    }

    private static void pump(Process process, Path log, CompletableFuture<String> ready) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                writer.write(line);
                writer.write('\n');
                writer.flush();
                if (!ready.isDone()) {
                    Matcher matcher = READY.matcher(line);
                    if (matcher.find()) {
                        ready.complete(matcher.group(1));
                    }
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(new UnavailableException("reading the Elasticsearch node's output failed: " + e, e));
        }
        if (!ready.isDone()) {
            String status;
            try {
                status = process.waitFor(5, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = "unknown status";
            }
            ready.completeExceptionally(new UnavailableException("the Elasticsearch node stopped before it was ready (" + status + ")"));
        }
    }

    private static Path moduleDir() {
        String configured = System.getProperty(DIR_PROPERTY);
        Path dir = (configured == null || configured.isBlank() ? Path.of("..", "elasticsearch-node", "target") : Path.of(configured))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new UnavailableException("the elasticsearch-node module is not built (no " + dir
                    + "; run mvn -pl elasticsearch-node -am package, or set -D" + DIR_PROPERTY + ")");
        }
        return dir;
    }

    /** The module's jar and everything in target/lib. */
    private static List<Path> classPath(Path moduleDir) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(moduleDir, "elasticsearch-node*.jar")) {
            for (Path jar : stream) {
                String name = jar.getFileName().toString();
                if (!name.endsWith("-sources.jar") && !name.endsWith("-tests.jar")) {
                    jars.add(jar);
                }
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot list " + moduleDir + ": " + e, e);
        }
        if (jars.size() != 1) {
            throw new UnavailableException("the elasticsearch-node module is not packaged (" + jars.size() + " module jars in "
                    + moduleDir + "; run mvn -pl elasticsearch-node -am package)");
        }
        Path lib = moduleDir.resolve("lib");
        int before = jars.size();
        if (Files.isDirectory(lib)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(lib, "*.jar")) {
                stream.forEach(jars::add);
            } catch (IOException e) {
                throw new UnavailableException("cannot list " + lib + ": " + e, e);
            }
        }
        if (jars.size() == before) {
            throw new UnavailableException("the elasticsearch-node module has no " + lib
                    + " (its package phase copies the node's dependencies there; run mvn -pl elasticsearch-node -am package)");
        }
        return jars;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .filter(c -> c.endsWith("/java") && Files.isExecutable(Path.of(c)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String runuser() {
        for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new UnavailableException("Elasticsearch refuses to run as root and there is no runuser to run it as " + NOBODY
                + " (util-linux)");
    }

    /** As root: runuser, the user nobody, a Java nobody can run, and a temporary folder nobody can reach. */
    private static void checkRunAsNobody() {
        String runuser = runuser();
        try {
            Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(NOBODY);
        } catch (IOException e) {
            throw new UnavailableException("Elasticsearch refuses to run as root and there is no user " + NOBODY + " to run it as");
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        String java = javaExecutable();
        List<String> command = List.of(runuser, "-u", NOBODY, "--", java, "-version");
        String check = run(command);
        if (check != null) {
            throw new UnavailableException("Elasticsearch refuses to run as root, and " + NOBODY + " cannot run " + java + ": " + check);
        }
        check = run(List.of(runuser, "-u", NOBODY, "--", "test", "-x", tmp.toString()));
        if (check != null) {
            throw new UnavailableException("Elasticsearch refuses to run as root, and " + NOBODY + " cannot reach the temporary folder "
                    + tmp + " (set java.io.tmpdir)");
        }
    }

    /** Runs a short command; null when it exits 0, else what went wrong. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish within 30 s";
            }
            return p.exitValue() == 0 ? null : "exit code " + p.exitValue() + ": " + output.get(5, TimeUnit.SECONDS).strip();
        } catch (IOException | ExecutionException | TimeoutException e) {
            return String.join(" ", command) + " failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Path logFile() throws IOException {
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC).format(Instant.now());
        return target.resolve("elasticsearch-node-" + stamp + ".log");
    }

    /** The last lines of the child's output, for an exception message. */
    private static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
