package org.buddycloud.webtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.localstack.Ports;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.QuarkusAppProcess;
import org.buddycloud.testsupport.S3Process;
import org.buddycloud.testsupport.TestDirectories;

/**
 * Starts the {@link WebStack} one piece after the other, each waited for until ready, configured as the services' own
 * test stacks configure them (test-support's ServiceTestStack, the gateway's GatewayTestStack, the search service's
 * SearchTestStack, the friend finder's FriendsTestStack), with every upstream of the gateway real. The friend finder
 * mails its codes to a GreenMail server in this JVM ({@link Mailbox}); its XMPP component stays off (no secret), as
 * nothing here asks it over XMPP. One after the other because two busy cores start seven JVMs in parallel no faster,
 * and time out more easily.
 */
final class StackLauncher {

    private static final System.Logger LOG = TestLog.logger(StackLauncher.class);

    /** Small heaps, C1 only and the serial collector: a quick start and little memory matter more here than peak speed. */
    private static final List<String> SERVICE_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final String ISSUER = "urn:buddycloud:web-tests:" + UUID.randomUUID();
    private static final String INTERNAL_SECRET = "web-tests-internal-secret";
    /** The search service joins the domain as the XEP-0114 component directory.&lt;domain&gt;, as in ./buddycloud up. */
    private static final String DIRECTORY = "directory." + WebStack.DOMAIN;
    private static final String DIRECTORY_SECRET = "web-tests-directory-secret";
    /** The media server's bucket, named here for the tests that list it ({@link WebStack.Stores}). */
    private static final String BUCKET = "buddycloud-media-web-tests";

    private final Deque<WebStack.Part> running = new ArrayDeque<>();
    /** Where the channel server accepts components (the directory): picked just before it starts, like its other ports. */
    private String channelServerComponentPort;
    private final Map<String, String> urls = new LinkedHashMap<>();
    private final Map<String, Path> logs = new LinkedHashMap<>();
    private final StringBuilder timings = new StringBuilder();
    private WebStack.Stores stores;

    private StackLauncher() {
    }

    /** Starts everything, or stops what did start and throws. */
    static WebStack start() {
        StackLauncher launcher = new StackLauncher();
        long began = System.nanoTime();
        try {
            launcher.startAll();
        } catch (RuntimeException | Error e) {
            new WebStack(launcher.running, launcher.urls, launcher.logs, launcher.stores).close();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "web stack ready in %.1f s (%s); services %s; logs in %s",
                seconds(began), launcher.timings, launcher.urls, logOf("api-gateway").getParent()));
        return new WebStack(launcher.running, launcher.urls, launcher.logs, launcher.stores);
    }

    private void startAll() {
        // the broker runs in this JVM (its log: TestLog, at WARN); PostgreSQL and the rest as processes of their own
        Path kafkaDir = scratch("kafka-");
        KafkaNode kafka = started("kafka", () -> KafkaNode.start(kafkaDir, 0, 0));
        Path postgresDir = scratch("postgres-");
        PostgresNode postgres = started("postgres", () -> PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0));
        List<String> databases = List.of("channels", "media", "push", "search", "friends");
        postgres.ensureDatabases(databases);
        S3Process s3 = started("s3", () -> S3Process.start(List.of("-Xmx256m", "-XX:+UseSerialGC")));
        Mailbox mail = started("mail", Mailbox::start);
        Map<String, String> jdbcUrls = new LinkedHashMap<>();
        databases.forEach(name -> jdbcUrls.put(name, postgres.jdbcUrl(name)));
        stores = new WebStack.Stores(jdbcUrls, s3.endpoint(), S3Process.ACCESS_KEY, S3Process.SECRET_KEY, BUCKET, mail);

        forget(logOf("channel-server"));
        ChannelServerProcess channelServer = started("channel-server", () -> retriedOnPortClash("channel-server",
                () -> ChannelServerProcess.start(channelServer(kafka, postgres), SERVICE_JVM)));
        urls.put("channel-server", channelServer.baseUrl());
        logs.put("channel-server", logOf("channel-server"));

        Map<String, String> media = common(kafka, channelServer);
        media.putAll(Map.of("quarkus.datasource.jdbc.url", postgres.jdbcUrl("media"),
                "quarkus.datasource.username", PostgresNode.USER,
                "buddycloud.s3.endpoint", s3.endpoint(),
                "buddycloud.s3.access-key", S3Process.ACCESS_KEY,
                "buddycloud.s3.secret-key", S3Process.SECRET_KEY,
                "buddycloud.s3.bucket", BUCKET));
        service("media-server", media);

        Map<String, String> push = common(kafka, channelServer);
        push.putAll(Map.of("quarkus.datasource.jdbc.url", postgres.jdbcUrl("push"),
                "quarkus.datasource.username", PostgresNode.USER));
        service("push-server", push);

        // no database: it keeps its model in memory, read from the topics
        service("taste-engine", common(kafka, channelServer));

        Path index = scratch("search-index-");
        Map<String, String> search = common(kafka, channelServer);
        search.putAll(Map.of("quarkus.datasource.jdbc.url", postgres.jdbcUrl("search"),
                "quarkus.datasource.username", PostgresNode.USER,
                "buddycloud.search.engine", "lucene",
                "buddycloud.search.lucene.path", index.toString(),
                // readiness waits for the index to catch up, checked every 10 s by default
                "buddycloud.search.lag-check-interval", "1s",
                "buddycloud.search.xmpp.host", "127.0.0.1",
                "buddycloud.search.xmpp.port", channelServerComponentPort,
                "buddycloud.search.xmpp.domain", DIRECTORY,
                "buddycloud.search.xmpp.secret", DIRECTORY_SECRET,
                "buddycloud.search.taste-engine.url", urls.get("taste-engine")));
        service("search-service", search);

        service("friend-finder", friendFinder(kafka, channelServer, postgres, mail));

        Map<String, String> gateway = common(kafka, channelServer);
        gateway.putAll(Map.of("buddycloud.gateway.upstream.channel-server", channelServer.baseUrl(),
                "buddycloud.gateway.upstream.media-server", urls.get("media-server"),
                "buddycloud.gateway.upstream.push-server", urls.get("push-server"),
                "buddycloud.gateway.upstream.search-service", urls.get("search-service"),
                "buddycloud.gateway.upstream.taste-engine", urls.get("taste-engine"),
                "buddycloud.gateway.upstream.friend-finder", urls.get("friend-finder"),
                // every request in the gateway's log: what the browser and the SDK asked for, and what they got
                "quarkus.log.category.\"io.quarkus.http.access-log\".level", "INFO"));
        service("api-gateway", gateway);
    }

    /** The channel server: tokens, the internal API the other services confirm XMPP requests with, the directory's link. */
    private Map<String, String> channelServer(KafkaNode kafka, PostgresNode postgres) {
        channelServerComponentPort = Integer.toString(Ports.free());
        Map<String, String> config = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                "quarkus.datasource.username", PostgresNode.USER,
                "quarkus.datasource.password", "",
                "buddycloud.domain", WebStack.DOMAIN,
                "buddycloud.tokens.issuer", ISSUER,
                "buddycloud.internal.secret", INTERNAL_SECRET,
                "buddycloud.xmpp.components.port", channelServerComponentPort,
                "buddycloud.xmpp.components.accept.\"" + DIRECTORY + "\".secret", DIRECTORY_SECRET,
                "quarkus.log.level", "WARN"));
        return config;
    }

    /**
     * The friend finder: its database, a key of its own for this run (identifiers are sealed with it), and real mail
     * to the {@link Mailbox}, where the tests read the codes.
     */
    private static Map<String, String> friendFinder(KafkaNode kafka, ChannelServerProcess channelServer, PostgresNode postgres,
                                                    Mailbox mail) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> config = common(kafka, channelServer);
        config.putAll(Map.of("quarkus.datasource.jdbc.url", postgres.jdbcUrl("friends"),
                "quarkus.datasource.username", PostgresNode.USER,
                "buddycloud.friends.identifier-key", Base64.getEncoder().encodeToString(key),
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(mail.smtpPort()),
                "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.tls", "false",
                // the name said in EHLO: looking up this machine's own name can take seconds where DNS is slow
                "quarkus.mailer.own-host-name", "localhost"));
        return config;
    }

    /** What every service behind the channel server shares: the broker, the token checks, the domain. */
    private static Map<String, String> common(KafkaNode kafka, ChannelServerProcess channelServer) {
        return new HashMap<>(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "buddycloud.auth.issuer", ISSUER,
                "buddycloud.auth.jwks-url", channelServer.baseUrl() + "/.well-known/jwks.json",
                // XMPP users' requests (XEP-0070) are confirmed through the channel server's internal API
                "buddycloud.internal.secret", INTERNAL_SECRET,
                "buddycloud.auth.confirmation-url", channelServer.baseUrl() + "/internal/confirm",
                "buddycloud.domain", WebStack.DOMAIN,
                "quarkus.log.level", "WARN"));
    }

    /** A packaged service of this repository (../name/target/quarkus-app), started and waited for until ready. */
    private void service(String name, Map<String, String> config) {
        Path jar = Path.of("..", name, "target", "quarkus-app", "quarkus-run.jar");
        Path log = logOf(name);
        forget(log);
        QuarkusAppProcess app = started(name, () -> retriedOnPortClash(name, () -> QuarkusAppProcess.start(name, jar, config, SERVICE_JVM)));
        urls.put(name, app.baseUrl());
        logs.put(name, log);
    }

    /**
     * Starts a service again, once, when it failed because a port picked for it was taken before it could bind it: the
     * ports are picked free, but on a busy machine another process (any outgoing connection) may get one first.
     */
    private static <T> T retriedOnPortClash(String name, Supplier<T> start) {
        try {
            return start.get();
        } catch (IllegalStateException e) {
            if (!logSays(name, "Address already in use")) {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, name + " found a port of its taken; starting it again on other ports");
            return start.get();
        }
    }

    private static boolean logSays(String name, String text) {
        try {
            return Files.readString(logOf(name)).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Where QuarkusAppProcess writes a service's output. */
    private static Path logOf(String name) {
        return Path.of("target", name + "-for-tests.log").toAbsolutePath();
    }

    /** QuarkusAppProcess appends; this run's log should hold this run only. */
    private static void forget(Path log) {
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scratch folder under target/, removed after what uses it stopped (closed after it: pushed before it). */
    private Path scratch(String prefix) {
        Path dir = TestDirectories.create(prefix);
        running.push(new WebStack.Part(dir.getFileName().toString(), () -> TestDirectories.delete(dir), 0));
        return dir;
    }

    /** Starts one piece, noting how long it took; it stops with the stack, before what started earlier. */
    private <T extends AutoCloseable> T started(String name, Supplier<T> start) {
        long began = System.nanoTime();
        T started = start.get();
        running.push(new WebStack.Part(name, started, pidOf(started)));
        timings.append(timings.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f s", name, seconds(began)));
        return started;
    }

    /** The service processes' ids, for stopping them all at once; 0 for what runs in this JVM or is not a service. */
    private static long pidOf(AutoCloseable started) {
        if (started instanceof QuarkusAppProcess) {
            return ((QuarkusAppProcess) started).pid();
        }
        if (started instanceof ChannelServerProcess) {
            return ((ChannelServerProcess) started).pid();
        }
        return 0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
