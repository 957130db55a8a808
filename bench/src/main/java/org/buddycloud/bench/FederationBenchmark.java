package org.buddycloud.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.Ports;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.TestDirectories;
import org.buddycloud.testsupport.XmppSocketClient;

/**
 * Remote time to glass: Juliet of capulet.lit publishes to her posts node at channels.capulet.lit, and Romeo of
 * montague.lit, who follows that node directly at her server, hears of each post over server-to-server XMPP (a headline
 * to his bare JID, sent by capulet.lit's RemoteNotifications consumer, delivered by montague.lit to his session).
 * Beside him in the same run, the baseline: a local follower of the same node on capulet.lit with channel presence.
 * Publish sent → notification read, p50/p99/mean of each at paced rates, and the remote/local ratios. The two domains
 * are two packaged channel servers on one machine, each with its own database and topics, as cluster-tests' Federation
 * harness sets them up.
 */
public final class FederationBenchmark {

    private static final String MONTAGUE = "montague.lit";
    private static final String CAPULET = "capulet.lit";
    private static final String CHANNELS = "channels." + CAPULET;
    private static final List<String> TOPICS = List.of("accounts", "channels", "posts", "memberships", "media", "dead-letters");

    /** {@code -Dbench.federation.warm-up-posts=200}: posts one after another's answer before anything is measured. */
    private static final int WARM_UP_POSTS = Integer.getInteger("bench.federation.warm-up-posts", 200);
    /** {@code -Dbench.federation.rates=1,10}: posts per second of the measured rounds, one round each. */
    private static final int[] RATES = ints(System.getProperty("bench.federation.rates", "1,10"));
    /** {@code -Dbench.federation.posts=60,200}: posts of each round, in the order of the rates. */
    private static final int[] POSTS = ints(System.getProperty("bench.federation.posts", "60,200"));
    /** {@code -Dbench.federation.heap=512m}: the largest heap of each channel server (two run beside each other). */
    private static final String HEAP = System.getProperty("bench.federation.heap", "512m");
    /** How long the notifications of a round may take to arrive after its last post before the figures are taken anyway. */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    /** A line of the table: the round, each follower's latencies and count, the ratios, the publishes' round trip. */
    private static final String ROW = "%-12s | %-25s | %9s | %-25s | %9s | %16s | %5s | %s%n";

    private FederationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (RATES.length != POSTS.length) {
            throw new IllegalArgumentException("bench.federation.rates and bench.federation.posts need as many entries each");
        }
        System.out.println(Machine.describe());
        printSettings();
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("montague", "capulet"));
            createTopics(kafka);
            Map<String, Integer> s2sPorts = Map.of(MONTAGUE, Ports.free(), CAPULET, Ports.free());
            List<ChannelServerProcess> servers = startBoth(kafka, postgres, s2sPorts);
            try (ChannelServerProcess montague = servers.get(0); ChannelServerProcess capulet = servers.get(1)) {
                measure(montague, capulet);
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
        printCatchUp();
    }

    private static void printSettings() {
        System.out.printf("settings: %s and %s, each a packaged channel server (%s) with its own database on one PostgreSQL and"
                        + " its own topics (<name>.<topic>) on one Kafka in this JVM; server-to-server XMPP on loopback by static"
                        + " routes (no DNS), STARTTLS and dialback; raw-socket clients in this JVM; warm-up %d posts one after"
                        + " another's answer; rounds %s; the 2 cores are shared by both servers, Kafka, PostgreSQL and the"
                        + " harness (and by whatever else runs on this machine, e.g. a CI build: figures are noisy)%n",
                MONTAGUE, CAPULET, String.join(" ", BenchStack.productJvm(HEAP)), WARM_UP_POSTS, rounds());
    }

    private static String rounds() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < RATES.length; i++) {
            text.append(i == 0 ? "" : ", ").append(POSTS[i]).append(" posts at ").append(RATES[i]).append("/s");
        }
        return text.toString();
    }

    /** Each domain's topics, created as an operator would before the servers start (see {@link BenchStack#createTopics}). */
    private static void createTopics(KafkaNode kafka) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of("montague", "capulet").stream().flatMap(name -> TOPICS.stream()
                    .map(topic -> new NewTopic(name + "." + topic, 3, (short) 1))).toList()).all().get();
        }
    }

    /** Both servers started at once (each waits for the other only once a stanza crosses); montague.lit first in the list. */
    private static List<ChannelServerProcess> startBoth(KafkaNode kafka, PostgresNode postgres, Map<String, Integer> s2sPorts) {
        CompletableFuture<ChannelServerProcess> montague = CompletableFuture.supplyAsync(() -> start(MONTAGUE, kafka, postgres, s2sPorts));
        CompletableFuture<ChannelServerProcess> capulet = CompletableFuture.supplyAsync(() -> start(CAPULET, kafka, postgres, s2sPorts));
        try {
            CompletableFuture.allOf(montague, capulet).join();
        } catch (CompletionException e) {
            // the one that did start must not outlive the benchmark
            for (CompletableFuture<ChannelServerProcess> server : List.of(montague, capulet)) {
                if (!server.isCompletedExceptionally()) {
                    server.join().close();
                }
            }
            throw e;
        }
        return List.of(montague.join(), capulet.join());
    }

    /**
     * One domain's server, set up as cluster-tests' Federation harness does: its own database and topic names, a route
     * to the other domain's s2s port; the production JVM options with this benchmark's heap, and its log in
     * {@code target/channel-server-<name>-for-tests.log}.
     */
    private static ChannelServerProcess start(String domain, KafkaNode kafka, PostgresNode postgres, Map<String, Integer> s2sPorts) {
        String name = domain.substring(0, domain.indexOf('.'));
        String other = domain.equals(MONTAGUE) ? CAPULET : MONTAGUE;
        Map<String, String> config = new HashMap<>();
        kafka.clientConfig().forEach((key, value) -> config.put("kafka." + key, value));
        for (String topic : TOPICS) {
            config.put("buddycloud.topics." + topic, name + "." + topic);
        }
        config.putAll(Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(name),
                "quarkus.datasource.username", PostgresNode.USER,
                "quarkus.datasource.password", "",
                "quarkus.log.level", "WARN",
                "buddycloud.domain", domain,
                "buddycloud.tokens.issuer", "urn:buddycloud:bench-federation:" + name,
                "buddycloud.xmpp.idle-timeout", "30m",
                "buddycloud.federation.enabled", "true",
                "buddycloud.federation.port", Integer.toString(s2sPorts.get(domain)),
                "buddycloud.federation.dns.enabled", "false"));
        config.put("buddycloud.federation.routes.\"" + other + "\"", "127.0.0.1:" + s2sPorts.get(other));
        config.putAll(BenchStack.serverSettingsFromCommandLine());
        return ChannelServerProcess.start("channel-server-" + name, config, BenchStack.productJvm(HEAP));
    }

    /** Juliet, her local follower and Romeo log in and follow; the warm-up, then a round per rate. */
    private static void measure(ChannelServerProcess montague, ChannelServerProcess capulet) throws Exception {
        Login julietAccount = new ChannelServerClient(capulet.baseUrl()).newAccount("juliet");
        Login nurseAccount = new ChannelServerClient(capulet.baseUrl()).newAccount("nurse");
        Login romeoAccount = new ChannelServerClient(montague.baseUrl()).newAccount("romeo");
        String node = "/user/" + julietAccount.jid() + "/posts";
        XmppBenchmark.Receiver remote = new XmppBenchmark.Receiver();
        XmppBenchmark.Receiver local = new XmppBenchmark.Receiver();
        try (XmppSocketClient juliet = login(capulet, CAPULET, julietAccount);
             XmppSocketClient nurse = login(capulet, CAPULET, nurseAccount);
             XmppSocketClient romeo = login(montague, MONTAGUE, romeoAccount)) {
            followLocally(nurse, node);
            followRemotely(romeo, node);
            Thread remoteReader = listen(remote, romeo, "bench-remote-follower");
            Thread localReader = listen(local, nurse, "bench-local-follower");
            try {
                measureRounds(juliet, node, new Followers(remote, local));
            } finally {
                // the readers end before their sockets are closed under them
                stop(remote, remoteReader);
                stop(local, localReader);
            }
        }
    }

    /** The warm-up, then a round per rate, each printed as it ends. */
    private static void measureRounds(XmppSocketClient juliet, String node, Followers followers) throws IOException {
        // let the subscriptions' own notifications pass before the first mark is sent
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        long sequence = 1;
        long warmUpStarted = System.nanoTime();
        publish(juliet, node, followers, sequence, WARM_UP_POSTS, 0);
        System.out.printf("warm-up: %d posts published and their notifications read in %.1f s: %s%n", WARM_UP_POSTS,
                (System.nanoTime() - warmUpStarted) / 1e9, followers.delivered(WARM_UP_POSTS));
        sequence += WARM_UP_POSTS;
        printHeader();
        for (int i = 0; i < RATES.length; i++) {
            long[] answered = publish(juliet, node, followers, sequence, POSTS[i], 1_000_000_000L / RATES[i]);
            sequence += POSTS[i];
            printRound(RATES[i], POSTS[i], Latency.of(followers.remote(), POSTS[i]), Latency.of(followers.local(), POSTS[i]), answered);
        }
    }

    private static XmppSocketClient login(ChannelServerProcess server, String domain, Login account) throws IOException {
        XmppSocketClient client = XmppSocketClient.connect(server.xmppPort(), domain);
        client.login(account.username(), account.password());
        return client;
    }

    /** As XmppBenchmark's subscribers: subscribed with the bare JID, then presence to the server and to the channel service. */
    private static void followLocally(XmppSocketClient follower, String node) throws IOException {
        subscribe(follower, node);
        follower.send("<presence/><presence to='" + CHANNELS + "'/>");
    }

    /**
     * A user of another domain: available at his own server first (headlines to his bare JID reach available sessions),
     * answered there so that the presence was handled, then subscribed at the channel's own service, over s2s.
     */
    private static void followRemotely(XmppSocketClient follower, String node) throws IOException {
        follower.send("<presence/>");
        String pong = follower.iq("<iq type='get' to='" + MONTAGUE + "'><ping xmlns='urn:xmpp:ping'/></iq>");
        if (!pong.contains("type='result'") && !pong.contains("type=\"result\"")) {
            throw new IOException(MONTAGUE + " did not answer a ping: " + pong);
        }
        subscribe(follower, node);
    }

    private static void subscribe(XmppSocketClient follower, String node) throws IOException {
        String reply = follower.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                + "<subscribe node='" + node + "' jid='" + follower.bareJid() + "'/></pubsub></iq>");
        if (!reply.contains("subscribed")) {
            throw new IOException(CHANNELS + " refused the subscription of " + follower.bareJid() + ": " + reply);
        }
    }

    /** A thread of its own reads one follower's socket, so that the two followers' latencies are kept apart. */
    private static Thread listen(XmppBenchmark.Receiver receiver, XmppSocketClient follower, String name) throws IOException {
        receiver.add(follower);
        Thread reader = new Thread(receiver, name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private static void stop(XmppBenchmark.Receiver receiver, Thread reader) throws IOException {
        receiver.stop();
        try {
            reader.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The remote follower's receiver and the local one's: every post is expected once by each. */
    record Followers(XmppBenchmark.Receiver remote, XmppBenchmark.Receiver local) {
        void reset() {
            remote.reset();
            local.reset();
        }

        void sent(long sequence, long at) {
            remote.sentAt.put(sequence, at);
            local.sentAt.put(sequence, at);
        }

        boolean allDelivered(long expected) {
            return remote.delivered.sum() >= expected && local.delivered.sum() >= expected;
        }

        String delivered(long expected) {
            return String.format("remote follower %d of %d notifications, local follower %d of %d", remote.delivered.sum(), expected,
                    local.delivered.sum(), expected);
        }
    }

    /**
     * Publishes {@code posts} entries as Juliet and waits for both followers' notifications (at most {@link #DRAIN} after
     * the last); with {@code intervalNanos} above 0 the i-th post is due {@code i * intervalNanos} after the first (a
     * steady rate whatever a publish's round trip took), else each follows the previous one's answer. Returns the
     * publishes' round trips, sorted, microseconds.
     */
    private static long[] publish(XmppSocketClient juliet, String node, Followers followers, long firstSequence, int posts,
                                  long intervalNanos) throws IOException {
        followers.reset();
        long[] answered = new long[posts];
        long started = System.nanoTime();
        for (int i = 0; i < posts; i++) {
            long due = started + i * intervalNanos;
            for (long wait = due - System.nanoTime(); intervalNanos > 0 && wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            long sequence = firstSequence + i;
            long sent = System.nanoTime();
            followers.sent(sequence, sent);
            String reply = juliet.iq(XmppBenchmark.publishRequest(CHANNELS, node, "<entry xmlns='http://www.w3.org/2005/Atom'>"
                    + "<content>bench-mark-" + sequence + "- Wherefore art thou Romeo?</content></entry>"));
            answered[i] = (System.nanoTime() - sent) / 1000;
            if (reply.contains("type='error'") || reply.contains("type=\"error\"")) {
                throw new IOException(CHANNELS + " refused a publish: " + reply);
            }
        }
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (!followers.allDelivered(posts) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        Arrays.sort(answered);
        return answered;
    }

    /** One follower's figures of a round, microseconds (-1 where nothing arrived). */
    record Latency(long delivered, long expected, long p50, long p99, long mean) {
        static Latency of(XmppBenchmark.Receiver receiver, long expected) {
            long[] sorted = receiver.latencies();
            long mean = sorted.length == 0 ? -1 : (long) Arrays.stream(sorted).average().orElse(-1);
            return new Latency(receiver.delivered.sum(), expected, XmppBenchmark.percentile(sorted, 50),
                    XmppBenchmark.percentile(sorted, 99), mean);
        }

        String figures() {
            return String.format("%7s / %7s / %7s", ms(p50), ms(p99), ms(mean));
        }

        String count() {
            return delivered + "/" + expected;
        }

        /** This over {@code baseline}; "n/a" where either has no figure. */
        static String ratio(long of, long baseline) {
            return of <= 0 || baseline <= 0 ? "n/a" : String.format("%.2f", (double) of / baseline);
        }

        private static String ms(long micros) {
            return micros < 0 ? "-" : String.format("%.1f", micros / 1000.0);
        }
    }

    private static void printHeader() {
        System.out.printf("%npublish sent -> notification read, ms (remote: romeo@%s following at %s over s2s;"
                + " local: a follower on %s with channel presence)%n", MONTAGUE, CHANNELS, CAPULET);
        System.out.printf(ROW, "round", "remote p50 / p99 / mean", "delivered", "local p50 / p99 / mean", "delivered",
                "remote/local p50", "p99", "publish answered p50");
    }

    private static void printRound(int rate, int posts, Latency remote, Latency local, long[] answeredMicros) {
        System.out.printf(ROW, posts + " at " + rate + "/s", remote.figures(), remote.count(), local.figures(), local.count(),
                Latency.ratio(remote.p50(), local.p50()), Latency.ratio(remote.p99(), local.p99()),
                String.format("%.1f ms", XmppBenchmark.percentile(answeredMicros, 50) / 1000.0));
    }

    /** Said rather than measured: there is nothing on this branch that would catch a follower up. */
    private static void printCatchUp() {
        System.out.printf("%ncatch-up of 10,000 missed posts: not measured. This branch has no durable outbound queue and no"
                + " reconciliation for remote followers: RemoteNotifications sends each notification once over s2s, S2sLinks"
                + " holds at most buddycloud.federation.max-waiting-stanzas (1,000) in memory while a stream is being set up,"
                + " and a notification for a server that cannot be reached is lost on this path; a follower whose server was"
                + " away sees the missed posts only by reading the channel, so there is no catch-up to time.%n");
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }
}
