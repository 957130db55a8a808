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
 * montague.lit, who follows that node through his own channel service (channels.montague.lit sends his subscription on
 * with him as actor and keeps a copy of the node, the inbox), hears of each post from his server's copy: capulet.lit
 * queues the notification for channels.montague.lit (federation_outbound), sends it over server-to-server XMPP, and
 * montague.lit applies it to its copy and tells Romeo's session, which is online for its channel service. Beside him
 * in the same run, the baseline: a local follower of the same node on capulet.lit with channel presence. Publish sent
 * → notification read, p50/p99/mean of each at paced rates, and the remote/local ratios.
 *
 * <p>Then the catch-up: montague.lit is stopped cleanly, Juliet posts {@code bench.federation.catch-up-posts} over REST
 * meanwhile (waiting in capulet.lit's queue), montague.lit is started again on the same database and ports, and the
 * time from its readiness until Romeo's copy, read over its REST API, holds them all. The two domains are two packaged
 * channel servers on one machine, each with its own database and topics, as cluster-tests' Federation harness sets
 * them up.
 */
public final class FederationBenchmark {

    private static final String MONTAGUE = "montague.lit";
    private static final String CAPULET = "capulet.lit";
    private static final String CHANNELS = "channels." + CAPULET;
    private static final String HOME_CHANNELS = "channels." + MONTAGUE;
    private static final List<String> TOPICS = List.of("accounts", "channels", "posts", "memberships", "media", "dead-letters");

    /** {@code -Dbench.federation.warm-up-posts=200}: posts one after another's answer before anything is measured. */
    private static final int WARM_UP_POSTS = Integer.getInteger("bench.federation.warm-up-posts", 200);
    /** {@code -Dbench.federation.rates=1,10}: posts per second of the measured rounds, one round each. */
    private static final int[] RATES = ints(System.getProperty("bench.federation.rates", "1,10"));
    /** {@code -Dbench.federation.posts=60,200}: posts of each round, in the order of the rates. */
    private static final int[] POSTS = ints(System.getProperty("bench.federation.posts", "60,200"));
    /** {@code -Dbench.federation.heap=512m}: the largest heap of each channel server (two run beside each other). */
    private static final String HEAP = System.getProperty("bench.federation.heap", "512m");
    /** {@code -Dbench.federation.catch-up-posts=10000}: posts Juliet makes while montague.lit is stopped (0 skips the catch-up). */
    private static final int CATCH_UP_POSTS = Integer.getInteger("bench.federation.catch-up-posts", 10_000);
    /** The REST clients that make the catch-up's posts at once. */
    private static final int CATCH_UP_THREADS = 8;
    /** How long the copy may take to catch up before the figures are taken anyway. */
    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(15);
    /**
     * The longest wait between a peer's retries (the product's default is 2 minutes): a server that was away is tried
     * again within this, so the catch-up measures the queue's work rather than where its back-off happened to be.
     */
    private static final String LAST_RETRY = "2s";
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
            try (Domains domains = new Domains(kafka, postgres, s2sPorts)) {
                Accounts accounts = measure(domains.montague(), domains.capulet());
                if (CATCH_UP_POSTS > 0) {
                    catchUp(domains, accounts);
                }
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }

    private static void printSettings() {
        System.out.printf("settings: %s and %s, each a packaged channel server (%s) with its own database on one PostgreSQL and"
                        + " its own topics (<name>.<topic>) on one Kafka in this JVM; server-to-server XMPP on loopback by static"
                        + " routes (no DNS), STARTTLS and dialback; the federation queue's last-retry %s (default 2m); raw-socket"
                        + " clients in this JVM; warm-up %d posts one after another's answer; rounds %s; catch-up of %d posts"
                        + " (%d REST clients); the %d cores are shared by both servers, Kafka, PostgreSQL and the harness (and"
                        + " by whatever else runs on this machine, e.g. a CI build: figures are noisy)%n",
                MONTAGUE, CAPULET, String.join(" ", BenchStack.productJvm(HEAP)), LAST_RETRY, WARM_UP_POSTS, rounds(), CATCH_UP_POSTS,
                CATCH_UP_THREADS, Runtime.getRuntime().availableProcessors());
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
        config.put("buddycloud.federation.queue.last-retry", LAST_RETRY);
        config.putAll(BenchStack.serverSettingsFromCommandLine());
        return ChannelServerProcess.start("channel-server-" + name, config, BenchStack.productJvm(HEAP));
    }

    /** Juliet and Romeo, whose accounts the catch-up uses again. */
    record Accounts(Login juliet, Login romeo) {
    }

    /** Juliet, her local follower and Romeo log in and follow; the warm-up, then a round per rate. */
    private static Accounts measure(ChannelServerProcess montague, ChannelServerProcess capulet) throws Exception {
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
        return new Accounts(julietAccount, romeoAccount);
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
     * A user of another domain, as FederationTest's romeo: online at his own server and for its channel service (which
     * tells his sessions of the channels he follows), a ping answered by that service so that both presences were
     * handled, then subscribed through it: it sends the subscription on to channels.capulet.lit with him as actor and
     * keeps the copy his notifications come from.
     */
    private static void followRemotely(XmppSocketClient follower, String node) throws IOException {
        follower.send("<presence/><presence to='" + HOME_CHANNELS + "'/>");
        String pong = follower.iq("<iq type='get' to='" + HOME_CHANNELS + "'><ping xmlns='urn:xmpp:ping'/></iq>");
        if (!pong.contains("type='result'") && !pong.contains("type=\"result\"")) {
            throw new IOException(HOME_CHANNELS + " did not answer a ping: " + pong);
        }
        subscribe(follower, HOME_CHANNELS, node);
    }

    private static void subscribe(XmppSocketClient follower, String node) throws IOException {
        subscribe(follower, CHANNELS, node);
    }

    private static void subscribe(XmppSocketClient follower, String service, String node) throws IOException {
        String reply = follower.iq("<iq type='set' to='" + service + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                + "<subscribe node='" + node + "' jid='" + follower.bareJid() + "'/></pubsub></iq>");
        if (!reply.contains("subscribed")) {
            throw new IOException(service + " refused the subscription of " + follower.bareJid() + ": " + reply);
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
        System.out.printf("%npublish sent -> notification read, ms (remote: romeo@%s following through %s, told from its"
                + " copy, fed over s2s through %s's queue; local: a follower on %s with channel presence)%n", MONTAGUE,
                HOME_CHANNELS, CAPULET, CAPULET);
        System.out.printf(ROW, "round", "remote p50 / p99 / mean", "delivered", "local p50 / p99 / mean", "delivered",
                "remote/local p50", "p99", "publish answered p50");
    }

    private static void printRound(int rate, int posts, Latency remote, Latency local, long[] answeredMicros) {
        System.out.printf(ROW, posts + " at " + rate + "/s", remote.figures(), remote.count(), local.figures(), local.count(),
                Latency.ratio(remote.p50(), local.p50()), Latency.ratio(remote.p99(), local.p99()),
                String.format("%.1f ms", XmppBenchmark.percentile(answeredMicros, 50) / 1000.0));
    }

    /**
     * montague.lit stopped cleanly while Juliet posts on capulet.lit (her server queues a notification for montague.lit's
     * copy of each), then started again on the same database, ports and token issuer; timed from its readiness until
     * Romeo's copy, read over its REST API with his token, holds every post he missed, then walked to check the count.
     */
    private static void catchUp(Domains domains, Accounts accounts) throws Exception {
        Login juliet = loginAgain(domains.capulet(), accounts.juliet());
        // issued before the stop and read with after the restart: the server's issuer and signing keys outlive it
        long issued = System.nanoTime();
        Login romeo = loginAgain(domains.montague(), accounts.romeo());
        FederationCatchUp channel = new FederationCatchUp(juliet.jid());
        long held = channel.count(domains.capulet().baseUrl(), juliet);
        long copied = channel.count(domains.montague().baseUrl(), romeo);
        System.out.printf("%ncatch-up: before the stop juliet's channel holds %d posts on %s, romeo's copy on %s %d%n", held, CAPULET,
                MONTAGUE, copied);

        long stopping = System.nanoTime();
        domains.stopMontague();
        double stopped = seconds(stopping);
        // ChannelServerProcess.close sends SIGTERM and kills only after 30 s without an exit
        System.out.printf("%s stopped in %.1f s (%s)%n", MONTAGUE, stopped, stopped < 30 ? "SIGTERM, clean shutdown" : "killed after 30 s");
        long posting = System.nanoTime();
        channel.post(domains.capulet().baseUrl(), juliet, CATCH_UP_POSTS, CATCH_UP_THREADS);
        double posted = seconds(posting);
        long expected = channel.count(domains.capulet().baseUrl(), juliet);
        System.out.printf("posted on %s meanwhile over REST (%d clients): %d posts in %.1f s (%.0f posts/s); her channel holds %d%n",
                CAPULET, CATCH_UP_THREADS, CATCH_UP_POSTS, posted, CATCH_UP_POSTS / posted, expected);

        long starting = System.nanoTime();
        domains.startMontague();
        long ready = System.nanoTime();
        System.out.printf("%s started again in %.1f s (start -> ready, same database, ports and issuer)%n", MONTAGUE,
                (ready - starting) / 1e9);
        boolean[] tokenUsed = {false};
        FederationCatchUp.Caught caught = channel.awaitCopy(domains.montague().baseUrl(), () -> {
            if (!tokenUsed[0]) {
                tokenUsed[0] = true;
                return romeo;
            }
            // a refusal soon after the restart is a finding (the issuer or keys did not survive); later, the token expired
            System.out.printf("  (%s refused romeo's token, issued %.0f s ago before the stop: logged in again)%n", MONTAGUE,
                    seconds(issued));
            return loginAgain(domains.montague(), romeo);
        }, copied, expected, ready, CATCH_UP_LIMIT);
        long missed = expected - copied;
        long arrived = caught.held() - copied;
        if (caught.allNanos() < 0) {
            System.out.printf("catch-up of %d missed posts: NOT complete after %d s: the copy holds %d of them (%.0f posts/s so far)%n",
                    missed, CATCH_UP_LIMIT.toSeconds(), arrived, arrived / (double) CATCH_UP_LIMIT.toSeconds());
        } else {
            double all = caught.allNanos() / 1e9;
            System.out.printf("catch-up of %d missed posts: romeo's copy on %s held all of them %.1f s after it was ready (%.0f posts/s),"
                            + " %.1f s after its start began; the first had arrived after %.1f s%n", missed, MONTAGUE, all, missed / all,
                    all + (ready - starting) / 1e9, caught.firstNanos() / 1e9);
        }
        FederationCatchUp.Walk walked = channel.walk(domains.montague().baseUrl(), loginAgain(domains.montague(), romeo));
        System.out.printf("romeo's copy walked in pages of 200: %d posts, %d distinct (X-RSM-Count %d, juliet's channel %d)%n",
                walked.posts(), walked.distinct(), caught.held(), expected);
    }

    private static Login loginAgain(ChannelServerProcess server, Login account) {
        return new ChannelServerClient(server.baseUrl()).login(account.username(), account.jid(), account.password());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The two servers of the run; montague.lit's is stopped and started again, with the same configuration, for the catch-up. */
    private static final class Domains implements AutoCloseable {
        private final KafkaNode kafka;
        private final PostgresNode postgres;
        private final Map<String, Integer> s2sPorts;
        private final ChannelServerProcess capulet;
        private ChannelServerProcess montague;

        Domains(KafkaNode kafka, PostgresNode postgres, Map<String, Integer> s2sPorts) {
            this.kafka = kafka;
            this.postgres = postgres;
            this.s2sPorts = s2sPorts;
            List<ChannelServerProcess> both = startBoth(kafka, postgres, s2sPorts);
            this.montague = both.get(0);
            this.capulet = both.get(1);
        }

        ChannelServerProcess montague() {
            if (montague == null) {
                throw new IllegalStateException(MONTAGUE + " is stopped");
            }
            return montague;
        }

        ChannelServerProcess capulet() {
            return capulet;
        }

        /** A clean stop (SIGTERM, then waited for): its database, and capulet.lit's queue for it, stay. */
        void stopMontague() {
            montague().close();
            montague = null;
        }

        /** Started as at first: same database, topics, server-to-server port, routes, certificate and token issuer. */
        void startMontague() {
            montague = start(MONTAGUE, kafka, postgres, s2sPorts);
        }

        @Override
        public void close() {
            try {
                if (montague != null) {
                    montague.close();
                }
            } finally {
                capulet.close();
            }
        }
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }
}
