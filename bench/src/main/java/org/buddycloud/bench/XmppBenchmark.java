package org.buddycloud.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.ProsodyProcess;
import org.buddycloud.testsupport.XmppSocketClient;

/**
 * Publish → notification over XMPP, the same raw-socket harness against our channel server and
 * against Prosody's {@code mod_pubsub} on this machine in the same run: latency p50/p99 and
 * notifications delivered per second with one publisher and 1, 10, 100 and 1,000 subscribers,
 * and a paced round of 10 posts/s at the largest fan-out (the latency of a server that is not kept busy), then the
 * resident memory (and heap) the 1,000 idle authenticated sessions take (sessions per GB); our server as one replica and
 * then as two replicas on the same PostgreSQL and Kafka (the publisher on one, the subscribers on the other, so every
 * notification crosses over; then the subscribers split over both); then, on one replica only, the memory of idle
 * sessions without and with XEP-0198 stream management (resumable), and with it and a roster of 100 mutual contacts
 * each (presence broadcast and probes), in the same run.
 */
public final class XmppBenchmark {

    /** Subscriber counts of the rounds; {@code -Dbench.xmpp.subscribers=1} measures only the one-subscriber latency. */
    private static final int[] SUBSCRIBERS = java.util.Arrays.stream(System.getProperty("bench.xmpp.subscribers", "1,10,100,1000").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    /**
     * {@code -Dbench.xmpp.posts=40}: the fewest posts of a measured round; {@code -Dbench.xmpp.round-seconds=3}: more,
     * up to {@value #MAX_POSTS_PER_ROUND}, where the server's pace in its warm-up says 40 would take less (40 posts
     * to one subscriber were over in 0.1 s, too short a window on a shared machine).
     */
    private static final int POSTS_PER_ROUND = Integer.getInteger("bench.xmpp.posts", 40);
    private static final Duration ROUND_TIME = Duration.ofSeconds(Long.getLong("bench.xmpp.round-seconds", 3));
    private static final int MAX_POSTS_PER_ROUND = 2000;
    /**
     * Posts of each fan-out before it is measured, enough for the JIT to compile the paths a post takes (both servers get
     * them): up to 200, fewer for large fan-outs (4,000 notifications in all).
     */
    private static final int WARM_UP_POSTS = Integer.getInteger("bench.xmpp.warm-up-posts", 200);
    private static final int WARM_UP_NOTIFICATIONS = 4000;
    /**
     * {@code -Dbench.xmpp.warm-up-seconds=90}: after those posts a JVM server is warmed up further, in batches of at
     * least {@link #SETTLE_BATCH}, until its JIT compiler threads used less than {@value #SETTLED_COMPILER_SHARE} of a
     * batch's wall time (the steady state of a server that has run a while), or this long has passed. 200 posts leave
     * C2 compiling the publish path through the measured rounds, on the same 2 cores.
     */
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(Long.getLong("bench.xmpp.warm-up-seconds", 90));
    private static final Duration SETTLE_BATCH = Duration.ofSeconds(2);
    private static final double SETTLED_COMPILER_SHARE = 0.03;
    private static final Duration DRAIN = Duration.ofSeconds(30);
    /** {@code -Dbench.xmpp.pause-ms=100}: posts spaced out, for the latency of a server that is not kept busy. */
    private static final Duration PAUSE_BETWEEN_POSTS = Duration.ofMillis(Long.getLong("bench.xmpp.pause-ms", 0));
    /** What precedes the sequence number of a post in its content, {@code bench-mark-<sequence>-}. */
    private static final byte[] MARK_BYTES = "bench-mark-".getBytes(StandardCharsets.US_ASCII);
    /** {@code -Dbench.xmpp.idle-sessions=1000}: idle sessions of each kind for the stream management comparison (0 skips it). */
    private static final int IDLE_SESSIONS = Integer.getInteger("bench.xmpp.idle-sessions", 1000);
    /** Contacts in the roster of each idle user of the third kind (mutual subscriptions among those users). */
    private static final int ROSTER_CONTACTS = 100;
    /** How long the roster kind's presence broadcast may take to reach every contact before the figures are taken anyway. */
    private static final Duration BROADCAST_WAIT = Duration.ofSeconds(120);
    /** The issue's aim for idle sessions with rosters of 100 and stream management on. */
    private static final int AIM_PER_GB = 20_000;
    /** The issue's aims for notifications: this many times Prosody's rate, and the p99 of the paced round. */
    private static final double AIM_RATE_RATIO = 2.0;
    private static final long AIM_PACED_P99_MICROS = 20_000;
    /**
     * {@code -Dbench.xmpp.replicas=2} (the default): after one replica, two replicas of our server on the same PostgreSQL
     * and Kafka, the publisher on the first and the subscribers on the second, then the subscribers split over both;
     * {@code 1} measures one replica only.
     */
    private static final int REPLICAS = Integer.getInteger("bench.xmpp.replicas", 2);
    /** {@code -Dbench.xmpp.split=false} skips the two-replica round with the subscribers split over both replicas. */
    private static final boolean SPLIT = Boolean.parseBoolean(System.getProperty("bench.xmpp.split", "true"));
    /** {@code -Dbench.xmpp.paced-rate=10}: posts per second of the paced round at the largest fan-out (0 skips it). */
    private static final int PACED_RATE = Integer.getInteger("bench.xmpp.paced-rate", 10);
    /** {@code -Dbench.xmpp.paced-posts=100}: posts of the paced round (10 s at 10 posts/s). */
    private static final int PACED_POSTS = Integer.getInteger("bench.xmpp.paced-posts", 100);

    /** What differs between the two servers; the harness is the same. */
    interface Target {
        String name();

        int port();

        /** The publisher's user name (an account of its own per measurement where accounts outlive it). */
        default String publisherName() {
            return "benchpub";
        }

        /** A new account, logged in over a raw socket. */
        XmppSocketClient account(String username, String password) throws IOException;

        /** The {@code index}th subscriber's new account, logged in where this target puts subscribers. */
        default XmppSocketClient subscriberAccount(int index, String username, String password) throws IOException {
            return account(username, password);
        }

        /** Readies the publisher's node. */
        String prepare(XmppSocketClient publisher) throws IOException;

        /** Makes a connected client a subscriber that gets notifications. */
        void subscribe(XmppSocketClient subscriber, String node) throws IOException;

        String publish(String node, String entry);

        /** Memory of the server process, after a full GC where it is a JVM. */
        Memory memoryAfterGc() throws IOException;

        /** CPU time the server process has used so far, milliseconds. */
        long cpuMillis() throws IOException;

        /** CPU time its JIT compiler threads have used so far, milliseconds (-1 where not a JVM). */
        default long compilerCpuMillis() throws IOException {
            return -1;
        }
    }

    /**
     * A server's memory, read right after a full GC where it is a JVM (which gives back heap it does not need, so the
     * figures are taken alike each time): resident set (VmRSS); for a JVM also heap in use, heap committed, and code
     * (the JIT's code cache as far as it was ever used, and the committed metaspace), else -1.
     */
    record Memory(long resident, long heapUsed, long heapCommitted, long code) {
        Growth since(Memory before) {
            return heapUsed < 0 ? new Growth(resident - before.resident, -1, -1, -1)
                    : new Growth(resident - before.resident, heapUsed - before.heapUsed, heapCommitted - before.heapCommitted,
                    code - before.code);
        }

        Memory plus(Memory other) {
            return new Memory(resident + other.resident, heapUsed + other.heapUsed, heapCommitted + other.heapCommitted,
                    code + other.code);
        }
    }

    /**
     * What some sessions added to a server's memory. The resident set of a JVM moves with the heap it keeps committed
     * (G1 keeps up to 70% of it free after a full GC, by default), not only with what is live in it, and with the code
     * the JIT compiles meanwhile: where the committed heap already had room for the sessions, the resident set hardly
     * grows although their heap is live, and where the heap was resized it grows by several times their live heap. So
     * beside the growth of the resident set, what the sessions hold live: the growth of the heap in use plus what grew
     * outside the heap other than code (buffers, thread stacks, the allocator's arenas).
     */
    record Growth(long resident, long heapUsed, long heapCommitted, long code) {
        /** Resident growth outside the heap and the code. */
        long otherOutsideHeap() {
            return resident - heapCommitted - code;
        }

        /** The heap in use plus what grew outside the heap other than code: what the sessions hold, without headroom. */
        long live() {
            return heapUsed < 0 ? resident : heapUsed + Math.max(0, otherOutsideHeap());
        }

        String describe(int sessions) {
            if (heapUsed < 0) {
                return String.format("resident +%.1f MiB -> %s sessions per GB resident", resident / 1048576.0, perGb(sessions, resident));
            }
            return String.format("resident +%.1f MiB -> %s sessions per GB resident (committed heap %+.1f, code %+.1f, other %+.1f);"
                            + " live (heap in use + other) +%.1f MiB -> %s per GB; heap in use +%.1f MiB -> %s per GB",
                    resident / 1048576.0, perGb(sessions, resident), heapCommitted / 1048576.0, code / 1048576.0,
                    otherOutsideHeap() / 1048576.0, live() / 1048576.0, perGb(sessions, live()),
                    heapUsed / 1048576.0, perGb(sessions, heapUsed));
        }
    }

    /** The figures of one round. */
    record Round(int subscribers, long delivered, long expected, double seconds, long p50Micros, long p99Micros, long answeredP50Micros,
                 long firstP50Micros, long lastP50Micros) {
        double perSecond() {
            return delivered / seconds;
        }

        /**
         * Per post, when the publisher had its answer and when its first and its last notification arrived (medians over
         * the posts): the publish's round trip, until the fan-out starts, and how long it takes.
         */
        String spread() {
            return String.format("; per post: answered p50 %.1f ms", answeredP50Micros / 1000.0) + (subscribers <= 1 ? ""
                    : String.format(", first/last notification p50 %.1f / %.1f ms", firstP50Micros / 1000.0, lastP50Micros / 1000.0));
        }
    }

    /**
     * What one measurement of a target found: a round per fan-out, the paced round (null when skipped), and the memory
     * that the subscribed sessions added after the first fan-out took (the server warmed up by then, so that the code the
     * JIT compiled meanwhile is not counted as the sessions').
     */
    record Measured(String name, List<Round> rounds, Round paced, int sessions, Growth memory) {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Machine.describe());
        if (!ProsodyProcess.installed()) {
            System.out.println("Prosody is not installed (apt-get install -y prosody): only our server is measured, no ratios");
        }
        List<Measured> ours = new ArrayList<>();
        BenchStack.runWithReplicas(Map.of("buddycloud.xmpp.idle-timeout", "30m", "quarkus.datasource.jdbc.max-size", "20"), "1g",
                (server, jdbcUrl, replicas) -> {
                    OurServer.Replica first = OurServer.Replica.of(server);
                    OurServer target = new OurServer("one replica", List.of(first), 0, i -> 0);
                    ours.add(measure(target));
                    printMetrics("bench-1", server.baseUrl(), System.getProperty("bench.metrics", "buddycloud_events_age"));
                    if (REPLICAS >= 2) {
                        // started only now: an idle second replica reads every event too, which the one-replica figures must not pay
                        try (ChannelServerProcess secondProcess = replicas.start("bench-2")) {
                            OurServer.Replica second = OurServer.Replica.of(secondProcess);
                            ours.add(measure(new OurServer("two replicas, across", List.of(first, second), 0, i -> 1)));
                            if (SPLIT) {
                                ours.add(measure(new OurServer("two replicas, split", List.of(first, second), 0, i -> i % 2)));
                            }
                            printMetrics("bench-2", secondProcess.baseUrl(), System.getProperty("bench.metrics", "buddycloud_events_age"));
                        }
                    }
                    if (IDLE_SESSIONS > 0) {
                        idleSessionsWithAndWithoutStreamManagement(target, jdbcUrl, IDLE_SESSIONS);
                    }
                });
        Measured prosody = null;
        if (ProsodyProcess.installed() && Boolean.parseBoolean(System.getProperty("bench.xmpp.prosody", "true"))) {
            try (ProsodyProcess process = ProsodyProcess.start("localhost", Map.of(), "benchpub")) {
                prosody = measure(new ProsodyPubSub(process));
            }
        }
        print(ours, prosody);
    }

    /** The server's own figures for the run: how old events were when a consumer took them ({@code -Dbench.metrics=prefix}). */
    private static void printMetrics(String replica, String baseUrl, String prefix) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseUrl + "/q/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        metrics.body().lines().filter(line -> line.startsWith(prefix))
                .forEach(line -> System.out.println("server metric (" + replica + "): " + line));
    }

    private static Measured measure(Target target) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        XmppSocketClient publisher = target.account(target.publisherName(), "benchpub-pw");
        String node = target.prepare(publisher);
        Receiver receiver = new Receiver();
        Thread reader = new Thread(receiver, "bench-receiver");
        reader.setDaemon(true);
        reader.start();
        List<XmppSocketClient> subscribers = new ArrayList<>();
        List<Round> rounds = new ArrayList<>();
        publishRound(target, publisher, node, receiver, 0, 5, -1, 0);
        Memory before = target.memoryAfterGc();
        int sessionsBefore = 0;
        long[] sequence = {1000};
        int count = 0;
        for (int fanOut : SUBSCRIBERS) {
            count = fanOut;
            while (subscribers.size() < count) {
                XmppSocketClient subscriber = target.subscriberAccount(subscribers.size(), "sub" + run + "-" + subscribers.size(),
                        "sub-pw-" + run);
                target.subscribe(subscriber, node);
                subscribers.add(subscriber);
                receiver.add(subscriber);
            }
            // let subscription notifications and presence settle, then warm this fan-out up
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            int warmUp = Math.min(WARM_UP_POSTS, Math.max(3, WARM_UP_NOTIFICATIONS / count));
            Round warm = publishRound(target, publisher, node, receiver, sequence[0], warmUp, count, 0);
            sequence[0] += warmUp + 100;
            Settled settled = settle(target, publisher, node, receiver, sequence, warmUp, count, warmUp / warm.seconds());
            int posts = (int) Math.max(POSTS_PER_ROUND, Math.min(MAX_POSTS_PER_ROUND, settled.postsPerSecond() * ROUND_TIME.toSeconds()));
            long cpuBefore = target.cpuMillis();
            Round round = publishRound(target, publisher, node, receiver, sequence[0], posts, count, 0);
            double cpuPerPost = (target.cpuMillis() - cpuBefore) / (double) posts;
            sequence[0] += posts + 100;
            rounds.add(round);
            System.out.printf("%-32s %5d subscribers: %,7.0f notifications/s, p50 %,8.1f ms, p99 %,8.1f ms (%d of %d delivered),"
                            + " server CPU %.1f ms per post%s%s%n", target.name(), count, round.perSecond(), round.p50Micros() / 1000.0,
                    round.p99Micros() / 1000.0, round.delivered(), round.expected(), cpuPerPost, round.spread(), settled.note());
            if (rounds.size() == 1 && SUBSCRIBERS.length > 1) {
                before = target.memoryAfterGc();
                sessionsBefore = count;
            }
        }
        Round paced = null;
        if (PACED_RATE > 0 && count > 0) {
            long cpuBefore = target.cpuMillis();
            paced = publishRound(target, publisher, node, receiver, sequence[0], PACED_POSTS, count, 1_000_000_000L / PACED_RATE);
            double cpuPerPost = (target.cpuMillis() - cpuBefore) / (double) PACED_POSTS;
            sequence[0] += PACED_POSTS + 100;
            System.out.printf("%-32s %5d subscribers, paced at %d posts/s: p50 %,8.1f ms, p99 %,8.1f ms (%d of %d delivered),"
                            + " server CPU %.1f ms per post%s%n", target.name(), count, PACED_RATE, paced.p50Micros() / 1000.0,
                    paced.p99Micros() / 1000.0, paced.delivered(), paced.expected(), cpuPerPost, paced.spread());
        }
        LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
        Growth grown = target.memoryAfterGc().since(before);
        receiver.stop();
        for (XmppSocketClient subscriber : subscribers) {
            subscriber.close();
        }
        publisher.close();
        return new Measured(target.name(), rounds, paced, count - sessionsBefore, grown);
    }

    /** How the warm-up of a fan-out ended: a note for the round's line, and the pace of its last posts. */
    record Settled(String note, double postsPerSecond) {
    }

    /**
     * Warms a JVM server up further until its JIT has settled (see {@link #WARM_UP_LIMIT}); says how long it took and what
     * share of the last batch's time the compiler threads used, for the round's line, and the posts per second of that
     * batch (of the warm-up, {@code warmPace}, where the server is not a JVM).
     */
    private static Settled settle(Target target, XmppSocketClient publisher, String node, Receiver receiver, long[] sequence, int posts,
                                  int subscribers, double warmPace) throws IOException {
        if (target.compilerCpuMillis() < 0) {
            return new Settled("", warmPace);
        }
        long started = System.nanoTime();
        double share;
        double pace;
        do {
            long compiled = target.compilerCpuMillis();
            long batchStarted = System.nanoTime();
            int published = 0;
            do {
                publishRound(target, publisher, node, receiver, sequence[0], posts, subscribers, 0);
                sequence[0] += posts + 100;
                published += posts;
            } while (System.nanoTime() - batchStarted < SETTLE_BATCH.toNanos());
            double seconds = (System.nanoTime() - batchStarted) / 1e9;
            share = (target.compilerCpuMillis() - compiled) / (seconds * 1000);
            pace = published / seconds;
        } while (share >= SETTLED_COMPILER_SHARE && System.nanoTime() - started < WARM_UP_LIMIT.toNanos());
        return new Settled(String.format(" (warmed up %.0f s more, until the JIT used %.0f%% of the time%s)",
                (System.nanoTime() - started) / 1e9, share * 100, share >= SETTLED_COMPILER_SHARE ? ": not settled" : ""), pace);
    }

    /**
     * Memory of idle sessions on our server, without and with stream management: {@code count} accounts are created
     * first (their caches are not the sessions' memory), then each logs in and sends presence (plain sessions), then
     * each logs in again (a second resource) and turns on resumable stream management before its presence, all of
     * them staying connected. Each kind is measured as the growth of the heap after a full GC over the figure just
     * before it, in the same server process, and of the resident memory read right after that GC (which gives back the
     * heap the JVM does not need, so the resident figure is taken alike each time; it still moves with how much heap the
     * JVM keeps committed, so it is the noisier of the two). The third kind is {@code count} other users whose rosters (written in SQL, see
     * {@link #writeRosters}) hold {@value #ROSTER_CONTACTS} of each other with mutual subscriptions: each logs in,
     * turns on resumable stream management and sends initial presence, so the server probes its contacts and
     * broadcasts to those online, and its client acknowledges what it reads, as a real one does.
     */
    private static void idleSessionsWithAndWithoutStreamManagement(OurServer target, String jdbcUrl, int count) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String password = "idle-pw-" + run;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("idle" + run + "-" + i);
            target.account(names.get(i), password).close();
        }
        List<XmppSocketClient> sessions = new ArrayList<>();
        try {
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            Memory before = target.memoryAfterGc();
            for (String name : names) {
                XmppSocketClient plain = XmppSocketClient.connect(target.port(), "localhost");
                plain.login(name, password);
                plain.send("<presence/>");
                reply(plain, plain.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>"));
                sessions.add(plain);
            }
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            Memory plain = target.memoryAfterGc();
            for (String name : names) {
                XmppSocketClient managed = XmppSocketClient.connect(target.port(), "localhost");
                managed.login(name, password);
                managed.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/><presence/>");
                String upToPing = managed.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
                if (!upToPing.contains("<enabled")) {
                    throw new IOException("stream management was not enabled: " + upToPing);
                }
                reply(managed, upToPing);
                // the client acknowledges the ping's answer, as a real one would when asked: nothing waits in the queue
                managed.send("<a xmlns='urn:xmpp:sm:3' h='1'/>");
                sessions.add(managed);
            }
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            Memory managed = target.memoryAfterGc();
            RosterKind roster = idleSessionsWithRosters(target, jdbcUrl, count, run, sessions);
            System.out.printf("%nmemory of %d idle sessions (logged in, presence sent), our server (one replica), same run,"
                    + " growth after a full GC:%n", count);
            Growth plainKind = plain.since(before);
            printIdle("without stream management", count, plainKind, plainKind);
            printIdle("with stream management (resumable)", count, managed.since(plain), plainKind);
            printIdle("with it and a roster of " + roster.contacts(), count, roster.memory(), plainKind);
            roster.print(count);
            System.out.printf("  aim: >= %,d sessions per GB with rosters of %d and stream management: resident %s, live %s,"
                            + " heap %s%n", AIM_PER_GB, ROSTER_CONTACTS, aim(count, roster.memory().resident()),
                    aim(count, roster.memory().live()), aim(count, roster.memory().heapUsed()));
        } finally {
            for (XmppSocketClient session : sessions) {
                session.close();
            }
        }
    }

    /** What the roster kind measured: heap growth, log-in and broadcast times, presences delivered. */
    record RosterKind(int contacts, Growth memory, long rows, double rowsSeconds, long[] loginToAvailableMicros,
                      double loginSeconds, double broadcastSeconds, long presences, long expectedPresences, int complete, int lost) {
        void print(int count) {
            System.out.printf("  roster kind: %,d roster rows written in %.1f s (SQL, one INSERT ... SELECT, then VACUUM ANALYZE);%n"
                            + "    log-in -> available (connect, SCRAM, bind, <enable/>, <presence/>, ping answered) p50 %.1f ms,"
                            + " p99 %.1f ms, one after another;%n"
                            + "    all %,d logged in and available in %.1f s; every contact's presence at every session %s"
                            + " (%,d of %,d presences from contacts, %,d of %,d sessions complete, %d connections lost)%n",
                    rows, rowsSeconds, percentile(loginToAvailableMicros, 50) / 1000.0, percentile(loginToAvailableMicros, 99) / 1000.0,
                    count, loginSeconds, broadcastSeconds < 0 ? "not within " + BROADCAST_WAIT.toSeconds() + " s"
                            : String.format("%.1f s after the first log-in", broadcastSeconds),
                    presences, expectedPresences, complete, count, lost);
        }
    }

    /**
     * The third kind: {@code count} new users, {@value #ROSTER_CONTACTS} of whom are in each one's roster with mutual
     * subscriptions, log in one after another with resumable stream management and send initial presence; one selector
     * thread reads all of them, answers the server's {@code <r/>} with the count of stanzas handled, and counts the
     * presences from contacts (probe answers and broadcasts). Once every session has its contacts' presences (or the
     * wait ran out) each acknowledges everything, and the heap is measured against a full-GC figure taken after the
     * accounts and rosters were written.
     */
    private static RosterKind idleSessionsWithRosters(OurServer target, String jdbcUrl, int count, String run,
                                                      List<XmppSocketClient> sessions) throws Exception {
        String prefix = "roster" + run + "-";
        String password = "roster-pw-" + run;
        for (int i = 0; i < count; i++) {
            target.register(prefix + i, password);
        }
        int contacts = Math.min(ROSTER_CONTACTS, count - 1);
        long written = System.nanoTime();
        long rows = writeRosters(jdbcUrl, prefix, "@localhost", count);
        double rowsSeconds = (System.nanoTime() - written) / 1e9;
        RosterReader reader = new RosterReader();
        Thread thread = new Thread(reader, "bench-roster-reader");
        thread.setDaemon(true);
        thread.start();
        try {
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            Memory before = target.memoryAfterGc();
            long first = System.nanoTime();
            List<RosterSession> rosterSessions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long started = System.nanoTime();
                XmppSocketClient client = XmppSocketClient.connect(target.port(), "localhost");
                sessions.add(client);
                client.login(prefix + i, password);
                RosterSession session = new RosterSession(client, started, contacts);
                rosterSessions.add(session);
                // nothing is sent to a session before its initial presence, so the reader sees everything from <enabled/> on
                client.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/><presence/>"
                        + "<iq type='get' to='localhost' id='available'><ping xmlns='urn:xmpp:ping'/></iq>");
                reader.add(session);
                // one log-in at a time, as the plain kinds do: wait for this one's ping answer
                while (session.availableAt == 0 && !session.lost) {
                    LockSupport.parkNanos(50_000);
                }
                if (session.lost) {
                    throw new IOException("the server closed the session of " + client.fullJid() + ": " + session.lastTags);
                }
                if (!session.enabled) {
                    throw new IOException("stream management was not enabled for " + client.fullJid() + ": " + session.lastTags);
                }
            }
            double loginSeconds = (System.nanoTime() - first) / 1e9;
            long deadline = System.nanoTime() + BROADCAST_WAIT.toNanos();
            while (rosterSessions.stream().anyMatch(s -> s.completeAt == 0 && !s.lost) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            boolean allComplete = rosterSessions.stream().allMatch(s -> s.completeAt != 0);
            double broadcastSeconds = allComplete
                    ? (rosterSessions.stream().mapToLong(s -> s.completeAt).max().orElse(first) - first) / 1e9 : -1;
            // a real client acknowledges what it read: nothing is left waiting in the server's queues
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            for (RosterSession session : rosterSessions) {
                session.acknowledge();
            }
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            Memory after = target.memoryAfterGc();
            long[] loginMicros = rosterSessions.stream().mapToLong(s -> (s.availableAt - s.started) / 1000).sorted().toArray();
            return new RosterKind(contacts, after.since(before), rows, rowsSeconds, loginMicros, loginSeconds,
                    broadcastSeconds,
                    rosterSessions.stream().mapToLong(s -> s.fromContacts).sum(), (long) contacts * count,
                    (int) rosterSessions.stream().filter(s -> s.completeAt != 0).count(),
                    (int) rosterSessions.stream().filter(s -> s.lost).count());
        } finally {
            reader.stop();
        }
    }

    /**
     * The rosters of users {@code prefix0..prefix(count-1)}, straight into the server's table as its roster store keeps
     * them (both sides of a mutual subscription, listed, a name and a group): user i holds the 50 users before and the 50
     * after it (modulo count), or every other user when there are at most 101; then VACUUM ANALYZE, as autovacuum leaves
     * a table that has been written to. Through the server it would be 100 subscription handshakes per user.
     */
    private static long writeRosters(String jdbcUrl, String prefix, String domain, int count) throws java.sql.SQLException {
        try (java.sql.Connection c = BenchStack.database(jdbcUrl);
             java.sql.PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO roster_items (owner, contact, name, groups, sub_to, sub_from, listed)
                     SELECT ? || i || ?, ? || k || ?, 'idle user ' || k, '{Friends}', true, true, true
                     FROM generate_series(0, ? - 1) i, generate_series(1, ?) d,
                          LATERAL (SELECT (i + CASE WHEN ? <= ? + 1 OR d <= ? / 2 THEN d ELSE d - ? - 1 END + ?) % ? AS k) contact""")) {
            int contacts = Math.min(ROSTER_CONTACTS, count - 1);
            insert.setString(1, prefix);
            insert.setString(2, domain);
            insert.setString(3, prefix);
            insert.setString(4, domain);
            insert.setInt(5, count);
            insert.setInt(6, contacts);
            insert.setInt(7, count);
            insert.setInt(8, ROSTER_CONTACTS);
            insert.setInt(9, ROSTER_CONTACTS);
            insert.setInt(10, ROSTER_CONTACTS);
            insert.setInt(11, count);
            insert.setInt(12, count);
            long rows = insert.executeUpdate();
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("VACUUM (ANALYZE) roster_items");
            }
            return rows;
        }
    }

    /** One roster user's connection as the reader sees it, after log-in. */
    static final class RosterSession {
        final XmppSocketClient client;
        final String bareJid;
        final long started;
        final int contacts;
        final StringBuilder text = new StringBuilder();
        final java.util.ArrayDeque<String> lastTags = new java.util.ArrayDeque<>();
        volatile boolean enabled;
        volatile boolean lost;
        volatile long availableAt;
        volatile long completeAt;
        volatile long fromContacts;
        /** Stanzas read since {@code <enabled/>}: the {@code h} of our acknowledgements. */
        private long handled;

        RosterSession(XmppSocketClient client, long started, int contacts) {
            this.client = client;
            this.bareJid = client.bareJid();
            this.started = started;
            this.contacts = contacts;
        }

        /** One tag the server sent (start, end or empty), in order. */
        synchronized void tag(String tag, long now) throws IOException {
            if (lastTags.size() == 8) {
                lastTags.removeFirst();
            }
            lastTags.addLast(tag);
            if (tag.startsWith("<enabled")) {
                enabled = true;
            } else if (isElement(tag, "presence") || isElement(tag, "message") || isElement(tag, "iq")) {
                if (enabled) {
                    handled++;
                }
                if (isElement(tag, "presence")) {
                    String from = attribute(tag, "from");
                    if (from != null && !from.equals(bareJid) && !from.startsWith(bareJid + "/") && attribute(tag, "type") == null
                            && ++fromContacts == contacts) {
                        completeAt = now;
                    }
                } else if (isElement(tag, "iq") && "available".equals(attribute(tag, "id"))) {
                    if (!"result".equals(attribute(tag, "type"))) {
                        lost = true;
                    }
                    availableAt = now;
                }
            } else if (isElement(tag, "r")) {
                acknowledge();
            } else if (tag.startsWith("<stream:error") || tag.startsWith("</stream:stream")) {
                lost = true;
            }
        }

        /** Our {@code <a/>}: every stanza read so far handled. */
        synchronized void acknowledge() throws IOException {
            if (enabled && !lost) {
                ByteBuffer out = ByteBuffer.wrap(("<a xmlns='urn:xmpp:sm:3' h='" + handled + "'/>").getBytes(StandardCharsets.US_ASCII));
                while (out.hasRemaining()) {
                    client.channel().write(out);
                }
            }
        }

        private static boolean isElement(String tag, String name) {
            if (!tag.startsWith("<" + name) || tag.length() <= name.length() + 1) {
                return false;
            }
            char next = tag.charAt(name.length() + 1);
            return next == ' ' || next == '>' || next == '/';
        }

        private static String attribute(String tag, String name) {
            Matcher value = Pattern.compile("\\s" + name + "=(['\"])([^'\"]*)\\1").matcher(tag);
            return value.find() ? value.group(2) : null;
        }
    }

    /** One thread reading every roster session, cutting what arrives into tags (text is scanned, not parsed). */
    static final class RosterReader implements Runnable {
        private final Selector selector;
        private final java.util.Queue<RosterSession> toRegister = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile boolean running = true;

        RosterReader() throws IOException {
            this.selector = Selector.open();
        }

        void add(RosterSession session) throws IOException {
            session.client.channel().configureBlocking(false);
            toRegister.add(session);
            selector.wakeup();
        }

        void stop() {
            running = false;
            selector.wakeup();
        }

        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            try {
                while (running) {
                    selector.select(200);
                    for (RosterSession session; (session = toRegister.poll()) != null; ) {
                        session.client.channel().register(selector, SelectionKey.OP_READ, session);
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        RosterSession session = (RosterSession) key.attachment();
                        buffer.clear();
                        int n;
                        try {
                            n = session.client.channel().read(buffer);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n < 0) {
                            key.cancel();
                            session.lost = true;
                            continue;
                        }
                        long now = System.nanoTime();
                        buffer.flip();
                        StringBuilder text = session.text.append(StandardCharsets.UTF_8.decode(buffer));
                        int done = 0;
                        while (true) {
                            int open = text.indexOf("<", done);
                            int close = open < 0 ? -1 : text.indexOf(">", open);
                            if (close < 0) {
                                done = open < 0 ? text.length() : open;
                                break;
                            }
                            session.tag(text.substring(open, close + 1), now);
                            done = close + 1;
                        }
                        text.delete(0, done);
                    }
                    selector.selectedKeys().clear();
                }
                selector.close();
            } catch (IOException e) {
                throw new IllegalStateException("the benchmark's roster reader failed", e);
            }
        }
    }

    private static void reply(XmppSocketClient client, String reply) throws IOException {
        if (!reply.contains("type='result'") && !reply.contains("type=\"result\"")) {
            throw new IOException("a ping of " + client.fullJid() + " was not answered: " + reply);
        }
    }

    private static void printIdle(String kind, int count, Growth memory, Growth plain) {
        long heapBytes = memory.heapUsed();
        System.out.printf("  %-36s heap +%.1f MiB (%,d bytes each) -> %s sessions per GB of heap (%s of the plain kind's);%n"
                        + "  %-36s %s%n",
                kind + ":", heapBytes / 1048576.0, heapBytes / count, perGb(count, heapBytes),
                heapBytes <= 0 || plain.heapUsed() <= 0 ? "n/a" : String.format("%.2fx", (double) plain.heapUsed() / heapBytes),
                "", memory.describe(count));
    }

    /**
     * Publishes {@code posts} entries one after another and waits for their notifications; with {@code intervalNanos}
     * above 0 the i-th post is due {@code i * intervalNanos} after the first (a steady rate, whatever the publish's round
     * trip took, unless it took longer than the interval), else each follows the previous one's answer (after
     * {@code -Dbench.xmpp.pause-ms}).
     */
    private static Round publishRound(Target target, XmppSocketClient publisher, String node, Receiver receiver, long firstSequence, int posts,
                                      int subscribers, long intervalNanos) throws IOException {
        receiver.reset();
        long[] answered = new long[posts];
        long started = System.nanoTime();
        for (int i = 0; i < posts; i++) {
            long sequence = firstSequence + i;
            if (intervalNanos > 0) {
                long due = started + i * intervalNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            } else if (PAUSE_BETWEEN_POSTS.toNanos() > 0) {
                LockSupport.parkNanos(PAUSE_BETWEEN_POSTS.toNanos());
            }
            long sent = System.nanoTime();
            receiver.sentAt.put(sequence, sent);
            String reply = publisher.iq(target.publish(node, "<entry xmlns='http://www.w3.org/2005/Atom'><content>bench-mark-" + sequence
                    + "- What light through yonder window breaks?</content></entry>"));
            answered[i] = (System.nanoTime() - sent) / 1000;
            if (reply.contains("type='error'") || reply.contains("type=\"error\"")) {
                throw new IOException(target.name() + " refused a publish: " + reply);
            }
        }
        long expected = subscribers < 0 ? 0 : (long) posts * subscribers;
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (receiver.delivered.sum() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        double seconds = (Math.max(receiver.lastArrival.get(), started) - started) / 1e9;
        long[] latencies = receiver.latencies();
        long[][] spread = receiver.firstAndLast();
        Arrays.sort(answered);
        return new Round(subscribers, receiver.delivered.sum(), expected, Math.max(seconds, 1e-6), percentile(latencies, 50),
                percentile(latencies, 99), percentile(answered, 50), percentile(spread[0], 50), percentile(spread[1], 50));
    }

    /** XEP-0060 publish of one item, the same for both servers. */
    static String publishRequest(String service, String node, String entry) {
        return "<iq type='set' to='" + service + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node
                + "'><item>" + entry + "</item></publish></pubsub></iq>";
    }

    static long percentile(long[] sortedMicros, int p) {
        if (sortedMicros.length == 0) {
            return -1;
        }
        return sortedMicros[Math.min(sortedMicros.length - 1, (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1)];
    }

    /** One thread reading every subscriber socket, finding the marks of the posts in what arrives. */
    static final class Receiver implements Runnable {
        final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        final LongAdder delivered = new LongAdder();
        final AtomicLong lastArrival = new AtomicLong();
        private final List<Long> latencyMicros = new ArrayList<>();
        /** Per post: the latencies of its first and its last notification, microseconds. */
        private final Map<Long, long[]> firstAndLast = new java.util.HashMap<>();
        private final Selector selector;
        private final List<XmppSocketClient> toRegister = new ArrayList<>();
        private volatile boolean running = true;

        Receiver() throws IOException {
            this.selector = Selector.open();
        }

        void add(XmppSocketClient client) throws IOException {
            client.channel().configureBlocking(false);
            synchronized (toRegister) {
                toRegister.add(client);
            }
            selector.wakeup();
        }

        synchronized void reset() {
            delivered.reset();
            latencyMicros.clear();
            firstAndLast.clear();
            lastArrival.set(0);
        }

        /** The latencies of the posts' first notifications and of their last ones, each sorted. */
        synchronized long[][] firstAndLast() {
            long[] first = firstAndLast.values().stream().mapToLong(f -> f[0]).sorted().toArray();
            long[] last = firstAndLast.values().stream().mapToLong(f -> f[1]).sorted().toArray();
            return new long[][] {first, last};
        }

        synchronized long[] latencies() {
            long[] copy = latencyMicros.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(copy);
            return copy;
        }

        void stop() throws IOException {
            running = false;
            selector.wakeup();
        }

        /**
         * Reads what arrived and finds the marks in the bytes themselves (ASCII), without decoding them to text: this one
         * thread stands for all the subscribers' clients, which would each read their own socket, so it is kept cheap
         * (decoding and a regular expression over every byte took most of its time and lengthened the latency at 1,000
         * subscribers, of both servers alike). The few bytes after the last mark are kept, as a mark may be split.
         */
        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
            byte[] bytes = buffer.array();
            try {
                while (running) {
                    selector.select(200);
                    synchronized (toRegister) {
                        for (XmppSocketClient client : toRegister) {
                            client.channel().register(selector, SelectionKey.OP_READ, new Tail());
                        }
                        toRegister.clear();
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        Tail tail = (Tail) key.attachment();
                        buffer.clear();
                        buffer.put(tail.bytes, 0, tail.length);
                        int n = ((java.nio.channels.SocketChannel) key.channel()).read(buffer);
                        if (n < 0) {
                            key.cancel();
                            continue;
                        }
                        long now = System.nanoTime();
                        int end = buffer.position();
                        int consumed = 0;
                        for (int at = indexOfMark(bytes, 0, end); at >= 0; at = indexOfMark(bytes, at + 1, end)) {
                            int digit = at + MARK_BYTES.length;
                            long sequence = 0;
                            while (digit < end && bytes[digit] >= '0' && bytes[digit] <= '9') {
                                sequence = sequence * 10 + bytes[digit++] - '0';
                            }
                            if (digit == end) {
                                break;
                            }
                            if (digit > at + MARK_BYTES.length && bytes[digit] == '-') {
                                record(sequence, now);
                                consumed = digit + 1;
                            }
                        }
                        int keep = Math.max(consumed, end - Tail.SIZE);
                        tail.length = end - keep;
                        System.arraycopy(bytes, keep, tail.bytes, 0, tail.length);
                    }
                    selector.selectedKeys().clear();
                }
                selector.close();
            } catch (IOException e) {
                throw new IllegalStateException("the benchmark's reader failed", e);
            }
        }

        /** Where {@code bench-mark-} starts in {@code bytes[from..end)}, or -1. */
        private static int indexOfMark(byte[] bytes, int from, int end) {
            outer:
            for (int i = from; i <= end - MARK_BYTES.length; i++) {
                for (int k = 0; k < MARK_BYTES.length; k++) {
                    if (bytes[i + k] != MARK_BYTES[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        /** The last bytes read from one connection after its last complete mark (a mark is at most 32 bytes long). */
        static final class Tail {
            static final int SIZE = 40;
            final byte[] bytes = new byte[SIZE];
            int length;
        }

        private synchronized void record(long sequence, long now) {
            Long sent = sentAt.get(sequence);
            if (sent == null) {
                return;
            }
            delivered.increment();
            lastArrival.accumulateAndGet(now, Math::max);
            long micros = (now - sent) / 1000;
            latencyMicros.add(micros);
            long[] post = firstAndLast.computeIfAbsent(sequence, k -> new long[] {micros, micros});
            post[0] = Math.min(post[0], micros);
            post[1] = Math.max(post[1], micros);
        }
    }

    /**
     * Our channel server: the publisher's personal /posts node, followers subscribe with their bare JID and send presence.
     * One replica or several on the same database and Kafka: the publisher logs in to one of them, the subscribers where
     * {@code subscriberReplica} says; accounts are registered over HTTP at the first (they live in the shared database).
     * Memory and CPU are those of all its replicas together.
     */
    static final class OurServer implements Target {
        private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

        /** One channel server process. */
        record Replica(int xmppPort, long pid, String baseUrl) {
            static Replica of(ChannelServerProcess process) {
                return new Replica(process.xmppPort(), process.pid(), process.baseUrl());
            }
        }

        private final String name;
        private final List<Replica> replicas;
        private final int publisherReplica;
        private final java.util.function.IntUnaryOperator subscriberReplica;
        private final String publisherName = "benchpub-" + UUID.randomUUID().toString().substring(0, 6);

        OurServer(String name, List<Replica> replicas, int publisherReplica, java.util.function.IntUnaryOperator subscriberReplica) {
            this.name = name;
            this.replicas = List.copyOf(replicas);
            this.publisherReplica = publisherReplica;
            this.subscriberReplica = subscriberReplica;
        }

        /** Registered over HTTP: in-band registration needs TLS, which the raw-socket harness does not speak. */
        @Override
        public XmppSocketClient account(String username, String password) throws IOException {
            return accountAt(publisherReplica, username, password);
        }

        @Override
        public XmppSocketClient subscriberAccount(int index, String username, String password) throws IOException {
            return accountAt(subscriberReplica.applyAsInt(index), username, password);
        }

        @Override
        public String publisherName() {
            return publisherName;
        }

        private XmppSocketClient accountAt(int replica, String username, String password) throws IOException {
            register(username, password);
            XmppSocketClient client = XmppSocketClient.connect(replicas.get(replica).xmppPort(), "localhost");
            client.login(username, password);
            return client;
        }

        /** A new account, not logged in. */
        void register(String username, String password) throws IOException {
            String body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"email\":\"" + username
                    + "@example.com\"}";
            try {
                java.net.http.HttpResponse<String> created = HTTP.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(replicas.get(0).baseUrl() + "/account")).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    throw new IOException("registration of " + username + " refused: " + created.statusCode() + " " + created.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public String name() {
            return "buddycloud channels, " + name;
        }

        /** The first replica's XMPP port. */
        @Override
        public int port() {
            return replicas.get(0).xmppPort();
        }

        @Override
        public String prepare(XmppSocketClient publisher) {
            return "/user/" + publisher.bareJid() + "/posts";
        }

        @Override
        public void subscribe(XmppSocketClient subscriber, String node) throws IOException {
            String reply = subscriber.iq("<iq type='set' to='channels.localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<subscribe node='" + node + "' jid='" + subscriber.bareJid() + "'/></pubsub></iq>");
            if (!reply.contains("subscribed")) {
                throw new IOException("subscribe refused: " + reply);
            }
            subscriber.send("<presence/><presence to='channels.localhost'/>");
        }

        @Override
        public String publish(String node, String entry) {
            return publishRequest("channels.localhost", node, entry);
        }

        @Override
        public Memory memoryAfterGc() throws IOException {
            Memory sum = new Memory(0, 0, 0, 0);
            for (Replica replica : replicas) {
                sum = sum.plus(ProcessMemory.jvmAfterGc(replica.pid()));
            }
            return sum;
        }

        @Override
        public long compilerCpuMillis() throws IOException {
            long sum = 0;
            for (Replica replica : replicas) {
                sum += ProcessMemory.compilerCpuMillis(replica.pid());
            }
            return sum;
        }

        @Override
        public long cpuMillis() throws IOException {
            long sum = 0;
            for (Replica replica : replicas) {
                sum += ProcessMemory.cpuMillis(replica.pid());
            }
            return sum;
        }

    }

    /** Prosody 0.12's mod_pubsub: node 'bench' created by the admin publisher, followers subscribe with their full JID. */
    static final class ProsodyPubSub implements Target {
        private final ProsodyProcess prosody;

        ProsodyPubSub(ProsodyProcess prosody) {
            this.prosody = prosody;
        }

        @Override
        public XmppSocketClient account(String username, String password) throws IOException {
            return XmppSocketClient.registerAndLogin(port(), "localhost", username, password);
        }

        @Override
        public String name() {
            return "Prosody mod_pubsub";
        }

        @Override
        public int port() {
            return prosody.c2sPort();
        }

        @Override
        public String prepare(XmppSocketClient publisher) throws IOException {
            String reply = publisher.iq("<iq type='set' to='pubsub.localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<create node='bench'/></pubsub></iq>");
            if (reply.contains("type='error'")) {
                throw new IOException("Prosody refused to create the node: " + reply);
            }
            return "bench";
        }

        @Override
        public void subscribe(XmppSocketClient subscriber, String node) throws IOException {
            subscriber.send("<presence/>");
            String reply = subscriber.iq("<iq type='set' to='pubsub.localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<subscribe node='" + node + "' jid='" + subscriber.fullJid() + "'/></pubsub></iq>");
            if (!reply.contains("subscribed")) {
                throw new IOException("subscribe refused: " + reply);
            }
        }

        @Override
        public String publish(String node, String entry) {
            return publishRequest("pubsub.localhost", node, entry);
        }

        @Override
        public long cpuMillis() throws IOException {
            return ProcessMemory.cpuMillis(prosody.serverPid());
        }

        @Override
        public Memory memoryAfterGc() throws IOException {
            return new Memory(ProcessMemory.resident(prosody.serverPid()), -1, -1, -1);
        }
    }

    /** A table per measurement of ours with Prosody beside it, then the issue's aims against what was measured. */
    private static void print(List<Measured> ours, Measured prosody) {
        for (Measured o : ours) {
            System.out.printf("%n%s%n", o.name());
            System.out.println("subscribers | ours notif/s | Prosody notif/s | ratio | ours p50/p99 ms   | Prosody p50/p99 ms"
                    + " | p50 ratio | p99 ratio");
            for (int i = 0; i < o.rounds().size(); i++) {
                Round r = o.rounds().get(i);
                Round p = prosody != null && i < prosody.rounds().size() ? prosody.rounds().get(i) : null;
                System.out.printf("%11d | %12.0f | %15s | %5s | %s%n", r.subscribers(), r.perSecond(),
                        p == null ? "-" : String.format("%.0f", p.perSecond()),
                        p == null ? "-" : String.format("%.2f", r.perSecond() / p.perSecond()), latencies(r, p));
            }
            if (o.paced() != null) {
                Round p = prosody == null ? null : prosody.paced();
                System.out.printf("%11s | %12s | %15s | %5s | %s%n", o.paced().subscribers() + " @" + PACED_RATE + "/s", "paced",
                        "paced", "-", latencies(o.paced(), p));
            }
        }
        System.out.printf("%nmemory of the idle authenticated (subscribed) sessions added after the first fan-out, growth after a"
                + " full GC (JVMs) over the figures then:%n");
        for (Measured o : ours) {
            System.out.printf("  %-44s %,d sessions: %s%n", o.name() + ":", o.sessions(), o.memory().describe(o.sessions()));
        }
        if (prosody != null) {
            System.out.printf("  %-44s %,d sessions: %s (Lua, no separate heap figure)%n", prosody.name() + ":", prosody.sessions(),
                    prosody.memory().describe(prosody.sessions()));
        }
        System.out.printf("%naims (issue 15):%n");
        for (Measured o : ours) {
            if (prosody != null && !prosody.rounds().isEmpty()) {
                List<String> ratios = new ArrayList<>();
                boolean met = true;
                for (int i = 0; i < Math.min(o.rounds().size(), prosody.rounds().size()); i++) {
                    double ratio = o.rounds().get(i).perSecond() / prosody.rounds().get(i).perSecond();
                    met &= ratio >= AIM_RATE_RATIO;
                    ratios.add(String.format("%.2f at %d", ratio, o.rounds().get(i).subscribers()));
                }
                System.out.printf("  %-44s >= %.0fx Prosody's notifications/s: %s -> %s%n", o.name() + ":", AIM_RATE_RATIO,
                        String.join(", ", ratios), met ? "met" : "not met");
            }
            if (o.paced() != null) {
                System.out.printf("  %-44s p99 < %d ms at %d subscribers and %d posts/s: %.1f ms -> %s%n", o.name() + ":",
                        AIM_PACED_P99_MICROS / 1000, o.paced().subscribers(), PACED_RATE, o.paced().p99Micros() / 1000.0,
                        o.paced().delivered() == o.paced().expected() && o.paced().p99Micros() < AIM_PACED_P99_MICROS ? "met" : "not met");
            }
            System.out.printf("  %-44s >= %,d subscribed sessions per GB resident: %s (live: %s)%n", o.name() + ":",
                    AIM_PER_GB, aim(o.sessions(), o.memory().resident()), aim(o.sessions(), o.memory().live()));
        }
    }

    /** Our p50/p99 beside Prosody's and the ratios (ours over Prosody's: below 1 is faster). */
    private static String latencies(Round ours, Round prosody) {
        return String.format("%7.1f / %7.1f | %18s | %9s | %9s", ours.p50Micros() / 1000.0, ours.p99Micros() / 1000.0,
                prosody == null ? "-" : String.format("%.1f / %.1f", prosody.p50Micros() / 1000.0, prosody.p99Micros() / 1000.0),
                prosody == null ? "-" : String.format("%.2f", (double) ours.p50Micros() / prosody.p50Micros()),
                prosody == null ? "-" : String.format("%.2f", (double) ours.p99Micros() / prosody.p99Micros()));
    }

    /** Sessions per GB of those bytes against {@link #AIM_PER_GB}. */
    private static String aim(int sessions, long bytes) {
        return bytes <= 0 ? "n/a (did not grow)" : perGb(sessions, bytes) + (sessions / (bytes / 1073741824.0) >= AIM_PER_GB ? " met" : " not met");
    }

    private static String perGb(int sessions, long bytes) {
        return bytes <= 0 ? "n/a" : String.format("%,.0f", sessions / (bytes / 1073741824.0));
    }

    /** Memory of another process on this machine (Linux /proc, jcmd for JVMs). */
    static final class ProcessMemory {
        private ProcessMemory() {
        }

        static long resident(long pid) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            return -1;
        }

        /** User and system time from /proc/PID/stat (clock ticks of 10 ms). */
        static long cpuMillis(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        }

        /** A JVM's heap in use and committed after a full GC, its code and metaspace, and its resident set read right after. */
        static Memory jvmAfterGc(long pid) throws IOException {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(pid), "GC.run");
            String info = run(jcmd, Long.toString(pid), "GC.heap_info");
            String codeCache = run(jcmd, Long.toString(pid), "Compiler.codecache");
            long resident = resident(pid);
            // one line for G1's heap, one per generation for the serial and parallel collectors, whose young generation's
            // total leaves out the survivor space that is empty between collections (committed all the same)
            Matcher heap = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
            long heapCommitted = 0;
            long heapUsed = 0;
            while (heap.find()) {
                heapCommitted += Long.parseLong(heap.group(1)) * 1024;
                heapUsed += Long.parseLong(heap.group(2)) * 1024;
            }
            Matcher emptySurvivor = Pattern.compile("\\bto\\s+space (\\d+)K").matcher(info);
            while (emptySurvivor.find()) {
                heapCommitted += Long.parseLong(emptySurvivor.group(1)) * 1024;
            }
            Matcher metaspace = Pattern.compile("Metaspace\\s+used \\d+K, committed (\\d+)K").matcher(info);
            if (heapCommitted == 0 || !metaspace.find()) {
                throw new IOException("no heap figures in GC.heap_info of " + pid + ": " + info);
            }
            long code = Long.parseLong(metaspace.group(1)) * 1024;
            Matcher used = Pattern.compile("max_used=(\\d+)Kb").matcher(codeCache);
            while (used.find()) {
                code += Long.parseLong(used.group(1)) * 1024;
            }
            return new Memory(resident, heapUsed, heapCommitted, code);
        }

        /** Heap in use after a full GC, bytes. */
        static long jvmHeapAfterGc(long pid) throws IOException {
            return jvmAfterGc(pid).heapUsed();
        }

        /** CPU time of the JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre") now running, from /proc/PID/task. */
        static long compilerCpuMillis(long pid) throws IOException {
            long ticks = 0;
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                            String stat = Files.readString(task.resolve("stat"));
                            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        }
                    } catch (java.nio.file.NoSuchFileException ended) {
                        // the thread ended (the JVM stops compiler threads it does not need)
                    }
                }
            }
            return ticks * 10;
        }

        private static String run(String... command) throws IOException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return output;
        }
    }
}
