package org.buddycloud.webtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JavaScript SDK's own tests (web-client/src/test/js/*.test.mjs, Node's test runner) against the running stack:
 * they find the gateway in BUDDYCLOUD_URL and the domain in BUDDYCLOUD_DOMAIN. Their output goes into the Maven log
 * as it comes; a failure repeats it whole in the assertion message.
 */
@ExtendWith(WebStack.Extension.class)
class SdkTest {

    private static final System.Logger LOG = TestLog.logger(SdkTest.class);
    /** The module runs in web-tests/, beside web-client/. */
    private static final Path WEB_CLIENT = Path.of("..", "web-client").toAbsolutePath().normalize();
    private static final Path TESTS = WEB_CLIENT.resolve(Path.of("src", "test", "js"));
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern VERSION = Pattern.compile("^v(\\d+)\\.");

    private int nodeMajor;

    /** Before the test, not all: a skip then counts as one, and the stack (a parameter of the test) does not start. */
    @BeforeEach
    void nodeIsInstalled() {
        String version = nodeVersion();
        Matcher major = VERSION.matcher(version == null ? "" : version);
        if (version == null || !major.find() || Integer.parseInt(major.group(1)) < 20) {
            String reason = version == null ? "no node on the PATH: the SDK tests need Node.js 20 or newer"
                    : "node " + version + " is older than 20, which the SDK tests need (node:test, fetch, WebSocket)";
            LOG.log(System.Logger.Level.WARNING, "skipped: " + reason);
            Assumptions.abort(reason);
        }
        nodeMajor = Integer.parseInt(major.group(1));
    }

    @Test
    void theSdkTestsPassAgainstTheWholeStack(WebStack stack) throws Exception {
        List<String> files = testFiles();
        assertFalse(files.isEmpty(), "no *.test.mjs in " + TESTS);
        List<String> command = new ArrayList<>(List.of("node", "--test"));
        if (nodeMajor < 22) {
            command.add("--experimental-websocket");   // a global WebSocket by default from Node 22 on
        }
        command.add("--test-reporter=spec");
        // the files themselves rather than the folder: Node 20 reads arguments as paths, 21 and later as globs
        command.addAll(files);
        ProcessBuilder builder = new ProcessBuilder(command).directory(WEB_CLIENT.toFile())
                .redirectErrorStream(true);
        builder.environment().put("BUDDYCLOUD_URL", stack.gatewayUrl());
        builder.environment().put("BUDDYCLOUD_DOMAIN", stack.domain());
        builder.environment().put("NO_COLOR", "1");
        LOG.log(System.Logger.Level.INFO, "running " + String.join(" ", command) + " with BUDDYCLOUD_URL=" + stack.gatewayUrl());
        Process node = builder.start();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> relay(node, output), "node-output");
        reader.setDaemon(true);
        reader.start();
        if (!node.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            stop(node);
            reader.join(TimeUnit.SECONDS.toMillis(10));
            fail("the SDK tests did not finish within " + TIMEOUT.toMinutes() + " minutes; their output:\n" + output);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        int exit = node.exitValue();
        assertEquals(0, exit, () -> "the SDK tests failed (node exited with " + exit + "); service logs "
                + stack.logs().values() + "\n" + output);
    }

    /**
     * Ends the test files' processes (the runner starts one per file) first, so that the runner still reports what
     * passed and which file hung, then whatever is left.
     */
    private static void stop(Process node) throws InterruptedException {
        node.descendants().forEach(ProcessHandle::destroy);
        if (!node.waitFor(20, TimeUnit.SECONDS)) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Every line to the Maven log as it comes, and kept for the failure message. */
    private static void relay(Process node, StringBuffer output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                LOG.log(System.Logger.Level.INFO, "node: " + line);
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            // node was killed: what it wrote so far is in output
            output.append("[output ended: ").append(e.getMessage()).append("]\n");
        }
    }

    private static List<String> testFiles() {
        if (!Files.isDirectory(TESTS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(TESTS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".test.mjs")).map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code node --version} (e.g. v20.20.2), or null where there is no node to run. */
    private static String nodeVersion() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? version : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
