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
import org.buddycloud.testsupport.ProsodyProcess;
import org.buddycloud.testsupport.XmppSocketClient;

/**
 * Publish → notification over XMPP, the same raw-socket harness against our channel server and
 * against Prosody's {@code mod_pubsub} on this machine in the same run: latency p50/p99 and
 * notifications delivered per second with one publisher and 1, 10, 100 and 1,000 subscribers,
 * then the memory the 1,000 idle authenticated sessions take (sessions per GB); then, on our server only, the memory of
 * idle sessions without and with XEP-0198 stream management (resumable) in the same run.
 */
public final class XmppBenchmark {

    /** Subscriber counts of the rounds; {@code -Dbench.xmpp.subscribers=1} measures only the one-subscriber latency. */
    private static final int[] SUBSCRIBERS = java.util.Arrays.stream(System.getProperty("bench.xmpp.subscribers", "1,10,100,1000").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    private static final int POSTS_PER_ROUND = Integer.getInteger("bench.xmpp.posts", 40);
    /**
     * Posts of each fan-out before it is measured, enough for the JIT to compile the paths a post takes (both servers get
     * them): up to 200, fewer for large fan-outs (4,000 notifications in all).
     */
    private static final int WARM_UP_POSTS = Integer.getInteger("bench.xmpp.warm-up-posts", 200);
    private static final int WARM_UP_NOTIFICATIONS = 4000;
    private static final Duration DRAIN = Duration.ofSeconds(30);
    /** {@code -Dbench.xmpp.pause-ms=100}: posts spaced out, for the latency of a server that is not kept busy. */
    private static final Duration PAUSE_BETWEEN_POSTS = Duration.ofMillis(Long.getLong("bench.xmpp.pause-ms", 0));
    private static final Pattern MARK = Pattern.compile("bench-mark-(\\d+)-");
    /** {@code -Dbench.xmpp.idle-sessions=1000}: idle sessions of each kind for the stream management comparison (0 skips it). */
    private static final int IDLE_SESSIONS = Integer.getInteger("bench.xmpp.idle-sessions", 1000);

    /** What differs between the two servers; the harness is the same. */
    interface Target {
        String name();

        int port();

        /** A new account, logged in over a raw socket. */
        XmppSocketClient account(String username, String password) throws IOException;

        /** Readies the publisher's node. */
        String prepare(XmppSocketClient publisher) throws IOException;

        /** Makes a connected client a subscriber that gets notifications. */
        void subscribe(XmppSocketClient subscriber, String node) throws IOException;

        String publish(String node, String entry);

        /** Resident memory of the server process, bytes. */
        long residentBytes() throws IOException;

        /** Heap in use after a full GC, bytes (-1 where not a JVM). */
        long heapAfterGc() throws IOException;

        /** CPU time the server process has used so far, milliseconds. */
        long cpuMillis() throws IOException;
    }

    /** The figures of one round. */
    record Round(int subscribers, long delivered, long expected, double seconds, long p50Micros, long p99Micros) {
        double perSecond() {
            return delivered / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Machine.describe());
        if (!ProsodyProcess.installed()) {
            System.out.println("Prosody is not installed (apt-get install -y prosody): only our server is measured, no ratios");
        }
        List<Round> ours = new ArrayList<>();
        long[] oursMemory = new long[3];
        BenchStack.runWithServer(Map.of("buddycloud.xmpp.idle-timeout", "30m", "quarkus.datasource.jdbc.max-size", "20"), "1g",
                (server, jdbcUrl) -> {
                    OurServer target = new OurServer(server.xmppPort(), server.pid(), server.baseUrl());
                    measure(target, ours, oursMemory);
                    printMetrics(server.baseUrl(), System.getProperty("bench.metrics", "buddycloud_events_age"));
                    if (IDLE_SESSIONS > 0) {
                        idleSessionsWithAndWithoutStreamManagement(target, IDLE_SESSIONS);
                    }
                });
        List<Round> prosody = new ArrayList<>();
        long[] prosodyMemory = new long[3];
        if (ProsodyProcess.installed() && Boolean.parseBoolean(System.getProperty("bench.xmpp.prosody", "true"))) {
            try (ProsodyProcess process = ProsodyProcess.start("localhost", Map.of(), "benchpub")) {
                measure(new ProsodyPubSub(process), prosody, prosodyMemory);
            }
        }
        print(ours, oursMemory, prosody, prosodyMemory);
    }

    /** The server's own figures for the run: how old events were when a consumer took them ({@code -Dbench.metrics=prefix}). */
    private static void printMetrics(String baseUrl, String prefix) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseUrl + "/q/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        metrics.body().lines().filter(line -> line.startsWith(prefix)).forEach(line -> System.out.println("server metric: " + line));
    }

    private static void measure(Target target, List<Round> rounds, long[] memory) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        XmppSocketClient publisher = target.account("benchpub", "benchpub-pw");
        String node = target.prepare(publisher);
        Receiver receiver = new Receiver();
        Thread reader = new Thread(receiver, "bench-receiver");
        reader.setDaemon(true);
        reader.start();
        List<XmppSocketClient> subscribers = new ArrayList<>();
        publishRound(target, publisher, node, receiver, 0, 5, -1);
        memory[0] = target.residentBytes();
        memory[2] = target.heapAfterGc();
        long sequence = 1000;
        for (int count : SUBSCRIBERS) {
            while (subscribers.size() < count) {
                XmppSocketClient subscriber = target.account("sub" + run + "-" + subscribers.size(), "sub-pw-" + run);
                target.subscribe(subscriber, node);
                subscribers.add(subscriber);
                receiver.add(subscriber);
            }
            // let subscription notifications and presence settle, then warm this fan-out up
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            int warmUp = Math.min(WARM_UP_POSTS, Math.max(3, WARM_UP_NOTIFICATIONS / count));
            publishRound(target, publisher, node, receiver, sequence, warmUp, count);
            sequence += warmUp + 100;
            long cpuBefore = target.cpuMillis();
            Round round = publishRound(target, publisher, node, receiver, sequence, POSTS_PER_ROUND, count);
            double cpuPerPost = (target.cpuMillis() - cpuBefore) / (double) POSTS_PER_ROUND;
            sequence += POSTS_PER_ROUND + 100;
            rounds.add(round);
            System.out.printf("%-22s %5d subscribers: %,7.0f notifications/s, p50 %,8.1f ms, p99 %,8.1f ms (%d of %d delivered),"
                            + " server CPU %.1f ms per post%n", target.name(), count, round.perSecond(), round.p50Micros() / 1000.0,
                    round.p99Micros() / 1000.0, round.delivered(), round.expected(), cpuPerPost);
        }
        LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
        long rss = target.residentBytes();
        long heap = target.heapAfterGc();
        memory[1] = rss - memory[0];
        memory[2] = heap < 0 ? -1 : heap - memory[2];
        receiver.stop();
        for (XmppSocketClient subscriber : subscribers) {
            subscriber.close();
        }
        publisher.close();
    }

    /**
     * Memory of idle sessions on our server, without and with stream management: {@code count} accounts are created
     * first (their caches are not the sessions' memory), then each logs in and sends presence (plain sessions), then
     * each logs in again (a second resource) and turns on resumable stream management before its presence, all of
     * them staying connected. Each kind is measured as the growth of the heap after a full GC over the figure just
     * before it, in the same server process. (Resident memory is not compared: the full GCs of the measurement resize
     * the heap between the two kinds.)
     */
    private static void idleSessionsWithAndWithoutStreamManagement(OurServer target, int count) throws Exception {
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
            long before = target.heapAfterGc();
            for (String name : names) {
                XmppSocketClient plain = XmppSocketClient.connect(target.port(), "localhost");
                plain.login(name, password);
                plain.send("<presence/>");
                reply(plain, plain.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>"));
                sessions.add(plain);
            }
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            long plain = target.heapAfterGc();
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
            long managed = target.heapAfterGc();
            System.out.printf("%nheap of %d idle sessions (logged in, presence sent), our server, same run:%n", count);
            printIdle("without stream management", count, plain - before);
            printIdle("with stream management (resumable)", count, managed - plain);
        } finally {
            for (XmppSocketClient session : sessions) {
                session.close();
            }
        }
    }

    private static void reply(XmppSocketClient client, String reply) throws IOException {
        if (!reply.contains("type='result'") && !reply.contains("type=\"result\"")) {
            throw new IOException("a ping of " + client.fullJid() + " was not answered: " + reply);
        }
    }

    private static void printIdle(String kind, int count, long heapBytes) {
        System.out.printf("  %-36s heap after GC +%.1f MiB (%,d bytes each) -> %s sessions per GB of heap%n", kind + ":",
                heapBytes / 1048576.0, heapBytes / count, perGb(count, heapBytes));
    }

    /** Publishes {@code posts} entries one after another and waits for their notifications. */
    private static Round publishRound(Target target, XmppSocketClient publisher, String node, Receiver receiver, long firstSequence, int posts,
                                      int subscribers) throws IOException {
        receiver.reset();
        long started = System.nanoTime();
        for (int i = 0; i < posts; i++) {
            long sequence = firstSequence + i;
            if (PAUSE_BETWEEN_POSTS.toNanos() > 0) {
                LockSupport.parkNanos(PAUSE_BETWEEN_POSTS.toNanos());
            }
            receiver.sentAt.put(sequence, System.nanoTime());
            String reply = publisher.iq(target.publish(node, "<entry xmlns='http://www.w3.org/2005/Atom'><content>bench-mark-" + sequence
                    + "- What light through yonder window breaks?</content></entry>"));
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
        return new Round(subscribers, receiver.delivered.sum(), expected, Math.max(seconds, 1e-6), percentile(latencies, 50),
                percentile(latencies, 99));
    }

    /** XEP-0060 publish of one item, the same for both servers. */
    static String publishRequest(String service, String node, String entry) {
        return "<iq type='set' to='" + service + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node
                + "'><item>" + entry + "</item></publish></pubsub></iq>";
    }

    private static long percentile(long[] sortedMicros, int p) {
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
            lastArrival.set(0);
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

        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            try {
                while (running) {
                    selector.select(200);
                    synchronized (toRegister) {
                        for (XmppSocketClient client : toRegister) {
                            client.channel().register(selector, SelectionKey.OP_READ, new StringBuilder());
                        }
                        toRegister.clear();
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        buffer.clear();
                        int n = ((java.nio.channels.SocketChannel) key.channel()).read(buffer);
                        if (n < 0) {
                            key.cancel();
                            continue;
                        }
                        long now = System.nanoTime();
                        buffer.flip();
                        StringBuilder text = (StringBuilder) key.attachment();
                        text.append(StandardCharsets.ISO_8859_1.decode(buffer));
                        Matcher mark = MARK.matcher(text);
                        int consumed = 0;
                        while (mark.find()) {
                            record(Long.parseLong(mark.group(1)), now);
                            consumed = mark.end();
                        }
                        // keep a tail in case a mark is split between reads
                        int keep = Math.max(consumed, text.length() - 40);
                        text.delete(0, Math.max(0, keep));
                    }
                    selector.selectedKeys().clear();
                }
                selector.close();
            } catch (IOException e) {
                throw new IllegalStateException("the benchmark's reader failed", e);
            }
        }

        private synchronized void record(long sequence, long now) {
            Long sent = sentAt.get(sequence);
            if (sent == null) {
                return;
            }
            delivered.increment();
            lastArrival.accumulateAndGet(now, Math::max);
            latencyMicros.add((now - sent) / 1000);
        }
    }

    /** Our channel server: the publisher's personal /posts node, followers subscribe with their bare JID and send presence. */
    static final class OurServer implements Target {
        private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
        private final int port;
        private final long pid;
        private final String baseUrl;

        OurServer(int port, long pid, String baseUrl) {
            this.port = port;
            this.pid = pid;
            this.baseUrl = baseUrl;
        }

        /** Registered over HTTP: in-band registration needs TLS, which the raw-socket harness does not speak. */
        @Override
        public XmppSocketClient account(String username, String password) throws IOException {
            String body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"email\":\"" + username
                    + "@example.com\"}";
            try {
                java.net.http.HttpResponse<String> created = HTTP.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(baseUrl + "/account")).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    throw new IOException("registration of " + username + " refused: " + created.statusCode() + " " + created.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            XmppSocketClient client = XmppSocketClient.connect(port, "localhost");
            client.login(username, password);
            return client;
        }

        @Override
        public String name() {
            return "buddycloud channels";
        }

        @Override
        public int port() {
            return port;
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
        public long residentBytes() throws IOException {
            return ProcessMemory.resident(pid);
        }

        @Override
        public long cpuMillis() throws IOException {
            return ProcessMemory.cpuMillis(pid);
        }

        @Override
        public long heapAfterGc() throws IOException {
            return ProcessMemory.jvmHeapAfterGc(pid);
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
        public long residentBytes() throws IOException {
            return ProcessMemory.resident(prosody.serverPid());
        }

        @Override
        public long heapAfterGc() {
            return -1;
        }
    }

    private static void print(List<Round> ours, long[] oursMemory, List<Round> prosody, long[] prosodyMemory) {
        System.out.println();
        System.out.println("subscribers | ours notif/s | Prosody notif/s | ratio | ours p50/p99 ms | Prosody p50/p99 ms | p50 ratio");
        for (int i = 0; i < ours.size(); i++) {
            Round o = ours.get(i);
            Round p = i < prosody.size() ? prosody.get(i) : null;
            System.out.printf("%11d | %12.0f | %15s | %5s | %7.1f / %7.1f | %18s | %s%n", o.subscribers(), o.perSecond(),
                    p == null ? "-" : String.format("%.0f", p.perSecond()), p == null ? "-" : String.format("%.2f", o.perSecond() / p.perSecond()),
                    o.p50Micros() / 1000.0, o.p99Micros() / 1000.0,
                    p == null ? "-" : String.format("%.1f / %.1f", p.p50Micros() / 1000.0, p.p99Micros() / 1000.0),
                    p == null ? "-" : String.format("%.2f", (double) o.p50Micros() / p.p50Micros()));
        }
        int sessions = SUBSCRIBERS[SUBSCRIBERS.length - 1];
        System.out.printf("%nmemory of %d idle authenticated (subscribed) sessions:%n", sessions);
        System.out.printf("  ours:    resident +%.1f MiB -> %s sessions per GB; heap after GC +%.1f MiB -> %s sessions per GB of heap%n",
                oursMemory[1] / 1048576.0, perGb(sessions, oursMemory[1]), oursMemory[2] / 1048576.0, perGb(sessions, oursMemory[2]));
        if (!prosody.isEmpty()) {
            System.out.printf("  Prosody: resident +%.1f MiB -> %s sessions per GB (Lua, no separate heap figure)%n",
                    prosodyMemory[1] / 1048576.0, perGb(sessions, prosodyMemory[1]));
        }
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

        static long jvmHeapAfterGc(long pid) throws IOException {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(pid), "GC.run");
            String info = run(jcmd, Long.toString(pid), "GC.heap_info");
            Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
            return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
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
