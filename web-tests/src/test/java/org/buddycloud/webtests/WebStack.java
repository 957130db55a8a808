package org.buddycloud.webtests;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The whole stack as apps meet it: Kafka, PostgreSQL, S3 and every packaged service behind the packaged API gateway
 * (see {@link StackLauncher}). One per test JVM, shared by every test class: a test asks for it as a parameter of a
 * test method under {@code @ExtendWith(WebStack.Extension.class)}. Asking only there, not in {@code @BeforeAll}, keeps
 * a class that skips itself (no browser, no Node) from starting the stack for nothing.
 */
public final class WebStack implements AutoCloseable {

    /** The XMPP domain: every service's default, which the SDK tests and the web client assume as well. */
    public static final String DOMAIN = "localhost";

    private static final System.Logger LOG = TestLog.logger(WebStack.class);

    /** A process or folder of the stack, named for the log; {@code pid} is a service's process id, or 0. */
    record Part(String name, AutoCloseable resource, long pid) {
    }

    /**
     * Where the services keep what they know, for tests that look there directly instead of asking an API: each
     * service's PostgreSQL database by name (JDBC URL; user {@code postgres}, no password), the media server's S3
     * endpoint, keys and bucket, and the mailbox that receives the services' mail.
     */
    public record Stores(Map<String, String> databases, String s3Endpoint, String s3AccessKey, String s3SecretKey, String bucket,
                         Mailbox mail) {
        public Stores {
            databases = Map.copyOf(databases);
        }
    }

    private final Deque<Part> running;
    private final Map<String, String> urls;
    private final Map<String, Path> logs;
    private final Stores stores;
    private final AtomicBoolean closed = new AtomicBoolean();

    WebStack(Deque<Part> running, Map<String, String> urls, Map<String, Path> logs, Stores stores) {
        this.running = new ArrayDeque<>(running);
        this.stores = stores;
        this.urls = Collections.unmodifiableMap(new LinkedHashMap<>(urls));
        this.logs = Collections.unmodifiableMap(new LinkedHashMap<>(logs));
        // a test JVM ended by a signal (Ctrl-C, a surefire timeout) must not leave the services running
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "web-stack-shutdown"));
    }

    /** The API gateway, e.g. {@code http://127.0.0.1:41234}: the one origin of the web client and the SDK. */
    public String gatewayUrl() {
        return urls.get("api-gateway");
    }

    public String domain() {
        return DOMAIN;
    }

    /** The services' databases, bucket and mailbox (null only for a stack that failed to start). */
    public Stores stores() {
        return stores;
    }

    /** Each service's base URL by name (channel-server, media-server, push-server, search-service, friend-finder, api-gateway). */
    public Map<String, String> serviceUrls() {
        return urls;
    }

    /** Each service's log file by name (same names): WARN and above, and the gateway's access log. */
    public Map<String, Path> logs() {
        return logs;
    }

    /** Stops everything in the reverse order of its start; what fails to stop does not keep the rest running. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long began = System.nanoTime();
        // every service is told to stop at once: each takes seconds (its Kafka clients say goodbye), and they need
        // nothing of each other any more; then each is waited for (and killed if it hangs), the infrastructure last
        running.stream().filter(part -> part.pid() > 0).forEach(part -> ProcessHandle.of(part.pid()).ifPresent(ProcessHandle::destroy));
        StringBuilder slow = new StringBuilder();
        List<Exception> failures = new ArrayList<>();
        while (!running.isEmpty()) {
            Part part = running.pop();
            long partBegan = System.nanoTime();
            try {
                part.resource().close();
            } catch (Exception e) {
                failures.add(e);
            }
            double seconds = (System.nanoTime() - partBegan) / 1e9;
            if (seconds >= 1) {
                slow.append(slow.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f s", part.name(), seconds));
            }
        }
        failures.forEach(e -> LOG.log(System.Logger.Level.WARNING, "stopping the web stack: " + e, e));
        LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "web stack stopped in %.1f s (%s)", (System.nanoTime() - began) / 1e9,
                slow.length() == 0 ? "each part within a second" : slow));
    }

    /**
     * Resolves {@link WebStack} parameters with the one stack of this JVM, kept in the root context's store: JUnit
     * closes it (an {@link AutoCloseable}, which JUnit 6 closes in place of the deprecated {@code CloseableResource})
     * after the last test class.
     */
    public static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WebStack.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == WebStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Startup.class, key -> Startup.attempt(), Startup.class).stack();
        }
    }

    /**
     * One attempt to start the stack, remembered with its failure: after a failed start every later test fails at once
     * with the first cause instead of waiting minutes for another start that fails the same way.
     */
    private static final class Startup implements AutoCloseable {

        private final WebStack stack;
        private final RuntimeException failure;

        private Startup(WebStack stack, RuntimeException failure) {
            this.stack = stack;
            this.failure = failure;
        }

        static Startup attempt() {
            try {
                return new Startup(StackLauncher.start(), null);
            } catch (RuntimeException e) {
                return new Startup(null, e);
            }
        }

        WebStack stack() {
            if (failure != null) {
                throw new IllegalStateException("the web stack did not start: " + failure.getMessage(), failure);
            }
            return stack;
        }

        @Override
        public void close() {
            if (stack != null) {
                stack.close();
            }
        }
    }
}
