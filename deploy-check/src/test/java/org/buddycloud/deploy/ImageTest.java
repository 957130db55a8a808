package org.buddycloud.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.testsupport.ServiceTestStack;
import org.junit.jupiter.api.Test;

/**
 * The image Dockerfile, checked as far as a file can be without a container engine: what it copies exists after
 * {@code mvn package} for every service, it runs as a non-root user on a JRE with a health check, and its entrypoint
 * command — run here, outside a container, with the compose file's environment — starts a packaged service that
 * becomes ready.
 */
class ImageTest {

    private static final Path DOCKERFILE = Repository.ROOT.resolve("deploy/docker/Dockerfile");

    @Test
    void whatTheImageCopiesExistsForEveryServiceAndItRunsAsNonRootOnAJre() {
        List<String> lines = Repository.lines(DOCKERFILE);
        List<String> copies = lines.stream().filter(l -> l.startsWith("COPY ") && l.contains("${SERVICE}")).toList();
        assertEquals(4, copies.size(), "lib, quarkus-run.jar, app and quarkus of the fast-jar: " + copies);
        List<String> missing = new ArrayList<>();
        for (String service : Repository.services().keySet()) {
            for (String copy : copies) {
                String source = List.of(copy.split("\\s+")).stream().filter(t -> t.contains("${SERVICE}")).findFirst().orElseThrow();
                Path path = Repository.ROOT.resolve(source.replace("${SERVICE}", service));
                if (!Files.exists(path)) {
                    missing.add(path.toString());
                }
            }
        }
        repositoryCopies().keySet().stream().filter(source -> !Files.exists(Repository.ROOT.resolve(source))).forEach(missing::add);
        assertEquals(List.of(), missing, "run mvn package first: the image copies these");
        assertTrue(lines.stream().anyMatch(l -> l.matches("FROM \\S+jre\\S*")), "a JRE base, no build tools");
        assertTrue(lines.stream().anyMatch(l -> l.equals("USER 185")), "runs as uid 185");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("HEALTHCHECK ")) && String.join("\n", lines).contains("/q/health/ready"));
    }

    @Test
    void theImageAndTheStackLauncherStartTheServicesWithTheSameJvmOptions() {
        assertEquals("/deployments/jvm.options", repositoryCopies().get("deploy/jvm.options"), "the image copies deploy/jvm.options");
        assertTrue(entrypointCommand().startsWith("exec java @/deployments/jvm.options "), entrypointCommand());
        assertTrue(Repository.read(Repository.ROOT.resolve("buddycloud")).contains("\"$JAVA\" @\"$ROOT/deploy/jvm.options\""),
                "./buddycloud starts every service with deploy/jvm.options");
    }

    /**
     * A service with options of its own ({@code deploy/jvm/<service>.options}) gets them after the common ones, from
     * the image's entrypoint (its command run by a shell here, with {@code java} replaced by {@code echo}) and from
     * ./buddycloud; a service without gets none.
     */
    @Test
    void aServiceWithJvmOptionsOfItsOwnGetsThemAfterTheCommonOnes() throws Exception {
        Path own = Repository.ROOT.resolve("deploy/jvm");
        List<String> files;
        try (var listing = Files.list(own)) {
            files = listing.map(f -> f.getFileName().toString()).sorted().toList();
        }
        for (String file : files) {
            assertTrue(file.endsWith(".options") && Repository.services().containsKey(file.substring(0, file.length() - ".options".length())),
                    "deploy/jvm holds <service>.options files only: " + file);
        }
        assertEquals("/deployments/jvm", repositoryCopies().get("deploy/jvm"), "the image copies deploy/jvm");
        assertTrue(Repository.read(DOCKERFILE).contains("BUDDYCLOUD_SERVICE=${SERVICE}"), "the image knows which service it runs");
        assertEquals(List.of("@" + Repository.ROOT.resolve("deploy/jvm.options"), "@" + own.resolve("channel-server.options")),
                entrypointJvmOptions("channel-server"));
        assertEquals(List.of("@" + Repository.ROOT.resolve("deploy/jvm.options")), entrypointJvmOptions("api-gateway"));
        assertTrue(Repository.read(Repository.ROOT.resolve("buddycloud")).contains("@\"$ROOT/deploy/jvm.options\" $(service_jvm_options \"$module\")"),
                "./buddycloud adds the service's own options after the common ones");
    }

    /** The @files the entrypoint's java gets for a service, the image's paths mapped to the repository's. */
    private static List<String> entrypointJvmOptions(String service) throws Exception {
        String command = entrypointCommand().replace("exec java ", "exec echo ").replace(" $JAVA_OPTS -jar /deployments/quarkus-run.jar", "");
        for (Map.Entry<String, String> copy : repositoryCopies().entrySet()) {
            command = command.replace(copy.getValue(), Repository.ROOT.resolve(copy.getKey()).toString());
        }
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        builder.environment().put("BUDDYCLOUD_SERVICE", service);
        Process process = builder.start();
        String printed = new String(process.getInputStream().readAllBytes()).trim();
        assertEquals(0, process.waitFor(), printed);
        return List.of(printed.split("\\s+"));
    }

    @Test
    void theEntrypointStartsThePackagedServiceWhichBecomesReady() throws Exception {
        String entrypoint = entrypointCommand();
        assertTrue(entrypoint.contains("/deployments/quarkus-run.jar"), entrypoint);
        ServiceTestStack stack = new ServiceTestStack();
        Map<String, String> infrastructure = stack.start();
        Process process = null;
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path app = Repository.ROOT.resolve("api-gateway/target/quarkus-app");
            String command = entrypoint;
            for (Map.Entry<String, String> copy : repositoryCopies().entrySet()) {
                command = command.replace(copy.getValue(), Repository.ROOT.resolve(copy.getKey()).toString());
            }
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", command.replace("/deployments", app.toString()))
                    .redirectErrorStream(true).redirectOutput(Path.of("target/entrypoint-api-gateway.log").toFile());
            Map<String, String> env = builder.environment();
            env.put("JAVA_OPTS", javaOpts());
            env.put("BUDDYCLOUD_SERVICE", "api-gateway");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            // the compose file's settings for the gateway, pointed at this machine's stack
            env.put("KAFKA_BOOTSTRAP_SERVERS", infrastructure.get("kafka.bootstrap.servers"));
            env.put("BUDDYCLOUD_AUTH_ISSUER", infrastructure.get("buddycloud.auth.issuer"));
            env.put("BUDDYCLOUD_AUTH_JWKS_URL", infrastructure.get("buddycloud.auth.jwks-url"));
            env.put("BUDDYCLOUD_DOMAIN", "localhost");
            process = builder.start();
            assertEquals(200, awaitReady(port, process), "see target/entrypoint-api-gateway.log");
        } finally {
            if (process != null) {
                process.destroy();
                process.waitFor();
            }
            stack.stop();
        }
    }

    /** The shell command of {@code ENTRYPOINT ["sh", "-c", "…"]}. */
    private static String entrypointCommand() {
        Matcher m = Pattern.compile("ENTRYPOINT \\[\"sh\", \"-c\", \"(.*)\"\\]").matcher(Repository.read(DOCKERFILE));
        assertTrue(m.find(), "the entrypoint is a shell command");
        return m.group(1);
    }

    /**
     * What the image copies from the repository itself rather than from a service's build (the JVM options every
     * service runs with): source path in the repository to its place in the image.
     */
    private static Map<String, String> repositoryCopies() {
        Map<String, String> copies = new java.util.LinkedHashMap<>();
        for (String line : Repository.lines(DOCKERFILE)) {
            if (line.startsWith("COPY ") && !line.contains("${SERVICE}")) {
                List<String> words = List.of(line.split("\\s+")).stream().filter(w -> !w.startsWith("-") && !w.equals("COPY")).toList();
                copies.put(words.get(0), words.get(1));
            }
        }
        return copies;
    }

    /** JAVA_OPTS as the image's ENV sets it. */
    private static String javaOpts() {
        Matcher m = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"").matcher(Repository.read(DOCKERFILE));
        assertTrue(m.find(), "the image sets JAVA_OPTS");
        return m.group(1);
    }

    /** Waits until the process answers /q/health/ready with 200, or dies; answers the last status seen. */
    private static int awaitReady(int port, Process process) {
        HttpClient http = HttpClient.newHttpClient();
        int[] status = {0};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                status[0] = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status[0] = 0; // not listening yet
            }
            return status[0] == 200 || !process.isAlive();
        });
        return status[0];
    }

}
