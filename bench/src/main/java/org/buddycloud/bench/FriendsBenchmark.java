package org.buddycloud.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.buddycloud.friends.domain.LookupHashes;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.QuarkusAppProcess;
import org.buddycloud.testsupport.TestDirectories;

/**
 * The friend finder's {@code POST /lookup} over a large table of claims, through the packaged service (the product's
 * JVM options) on a real PostgreSQL, with tokens of the packaged channel server and Kafka for account deletions.
 * <ul>
 *   <li>Setup: {@value #DEFAULT_CLAIMS} verified, discoverable claims of {@value #DEFAULT_JIDS} JIDs
 *   ({@link FriendsCorpus}: sealed and fingerprinted under the service's identifier key, hashed under its current
 *   pepper) written straight into its database over JDBC, then ANALYZE.</li>
 *   <li>Lookups of {@value #DEFAULT_HASHES} hashes, a tenth of them claims (the rest random hashes nobody claimed),
 *   each answer checked against the mappings expected: from one client p50/p99, then from {@value #DEFAULT_CLIENTS}
 *   clients at once (an account each) lookups, hashes and matches per second and p50/p99.</li>
 *   <li>Baselines of the same run: a lookup of one hash and {@code GET /hash_details}, p50/p99; the ratio of the
 *   medians of the large and the one-hash lookup.</li>
 * </ul>
 */
public final class FriendsBenchmark {

    private static final int DEFAULT_CLAIMS = 1_000_000;
    private static final int DEFAULT_JIDS = 100_000;
    private static final int DEFAULT_HASHES = 1_000;
    private static final int DEFAULT_CLIENTS = 4;

    private static final int CLAIMS = Integer.getInteger("bench.friends.claims", DEFAULT_CLAIMS);
    private static final int JIDS = Integer.getInteger("bench.friends.jids", DEFAULT_JIDS);
    private static final int HASHES = Integer.getInteger("bench.friends.hashes", DEFAULT_HASHES);
    private static final double HIT_SHARE = Double.parseDouble(System.getProperty("bench.friends.hit-share", "0.1"));
    private static final int WARM_UP = Integer.getInteger("bench.friends.warm-up", 100);
    private static final int REQUESTS = Integer.getInteger("bench.friends.requests", 300);
    private static final int CLIENTS = Integer.getInteger("bench.friends.clients", DEFAULT_CLIENTS);
    private static final int CONCURRENT_REQUESTS = Integer.getInteger("bench.friends.concurrent-requests", 600);
    private static final int BASELINE_REQUESTS = Integer.getInteger("bench.friends.baseline-requests", 1_000);
    private static final int WRITERS = Integer.getInteger("bench.friends.seed-writers", 2);
    private static final String HEAP = System.getProperty("bench.friends.heap", "384m");
    private static final long SEED = Long.getLong("bench.friends.seed", 20_261_207L);
    private static final boolean EXPLAIN = Boolean.parseBoolean(System.getProperty("bench.friends.explain", "true"));
    private static final String ISSUER = "urn:buddycloud:bench";
    /** The service's own lookup (ClaimStore.matches), for the plan printed at the end. */
    private static final String MATCH_QUERY = "SELECT h.hash, c.jid FROM friend_hashes h JOIN friend_claims c ON c.id = h.claim_id "
            + "WHERE h.pepper_id = ? AND h.hash = ANY(?) AND c.verified_at IS NOT NULL AND c.discoverable";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder HASH_TEXT = Base64.getUrlEncoder().withoutPadding();

    private final String channelServer;
    private final String friendFinder;
    private final String jdbcUrl;
    private final String identifierKey;
    private final Random random = new Random(SEED);
    private final Tally concurrentTally = new Tally();
    private FriendsCorpus corpus;
    private String pepper;

    private FriendsBenchmark(String channelServer, String friendFinder, String jdbcUrl, String identifierKey) {
        this.channelServer = channelServer;
        this.friendFinder = friendFinder;
        this.jdbcUrl = jdbcUrl;
        this.identifierKey = identifierKey;
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        System.out.println(Machine.describe());
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("channels", "friends"));
            BenchStack.createTopics(kafka);
            try (ChannelServerProcess channels = ChannelServerProcess.start("channel-server", Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl("channels"),
                    "quarkus.datasource.username", PostgresNode.USER,
                    "buddycloud.tokens.issuer", ISSUER,
                    // the tokens of the measured accounts outlive the seeding and the measuring
                    "buddycloud.tokens.access-token-lifetime", "2h",
                    "quarkus.log.level", "WARN"), BenchStack.productJvm("384m"))) {
                String identifierKey = newIdentifierKey();
                Map<String, String> config = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "quarkus.datasource.jdbc.url", postgres.jdbcUrl("friends"),
                        "quarkus.datasource.username", PostgresNode.USER,
                        "buddycloud.auth.jwks-url", channels.baseUrl() + "/.well-known/jwks.json",
                        "buddycloud.auth.issuer", ISSUER,
                        "buddycloud.domain", "localhost",
                        "buddycloud.friends.identifier-key", identifierKey,
                        // the measured accounts look up far more than a person's daily allowance
                        "buddycloud.friends.limits.hashes-per-day", "1000000000",
                        "quarkus.log.level", "WARN"));
                config.putAll(BenchStack.serverSettingsFromCommandLine());
                long launched = System.nanoTime();
                try (QuarkusAppProcess friends = QuarkusAppProcess.start("friend-finder",
                        Path.of(System.getProperty("buddycloud.friend-finder.app", "../friend-finder/target/quarkus-app/quarkus-run.jar")),
                        config, productJvm())) {
                    System.out.printf("friend finder (-Xmx%s, the product's JVM options) ready %.1f s after launch, beside the "
                            + "packaged channel server (tokens), PostgreSQL and Kafka%n", HEAP, (System.nanoTime() - launched) / 1e9);
                    new FriendsBenchmark(channels.baseUrl(), friends.baseUrl(), postgres.jdbcUrl("friends"), identifierKey).run();
                }
            }
        } finally {
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
        System.out.printf("%n%s%nfriends benchmark took %.0f s%n", Machine.describe(), (System.nanoTime() - started) / 1e9);
    }

    private void run() throws Exception {
        ChannelServerClient accounts = new ChannelServerClient(channelServer);
        List<Login> clients = new ArrayList<>();
        for (int c = 0; c < Math.max(1, CLIENTS); c++) {
            clients.add(accounts.newAccount("finder" + c));
        }
        HttpClient http = newClient();
        pepper = JSON.readTree(hashDetails(http, clients.get(0).accessToken()).body()).path("lookup_pepper").asText();
        int pepperId = pepperId(pepper);
        seed(pepperId);

        System.out.printf("lookups of %,d hashes, %.0f%% of them claims and the rest random hashes nobody claimed; every answer "
                + "checked against the mappings expected%n", HASHES, HIT_SHARE * 100);
        Login one = clients.get(0);
        sequential(http, one, lookups(WARM_UP, HASHES), new Tally());
        sequential(http, one, lookups(BASELINE_REQUESTS / 5, 1), new Tally());
        detailsRoundTrips(http, one, BASELINE_REQUESTS / 5);
        System.out.printf("warm-up: %,d lookups of %,d hashes, %,d of 1 hash, %,d GET /hash_details%n", WARM_UP, HASHES,
                BASELINE_REQUESTS / 5, BASELINE_REQUESTS / 5);

        Tally single = new Tally();
        long[] large = sequential(http, one, lookups(REQUESTS, HASHES), single);
        double mean = Arrays.stream(large).average().orElse(0) / 1e6;
        System.out.printf("1 client, %,d lookups of %,d hashes: p50 %.2f ms, p99 %.2f ms, mean %.2f ms (%,.0f hashes/s, %,.0f "
                        + "matches/s); %s%n", large.length, HASHES, TasteBenchmark.p(large, 0.50), TasteBenchmark.p(large, 0.99), mean,
                HASHES * 1000 / mean, single.matches.get() * 1000 / (mean * large.length), single.summary());

        concurrent(clients);

        Tally oneHash = new Tally();
        long[] small = sequential(http, one, lookups(BASELINE_REQUESTS, 1), oneHash);
        System.out.printf("baseline, 1 client: POST /lookup of 1 hash (a claim %.0f%% of the time), %,d calls: p50 %.2f ms, "
                        + "p99 %.2f ms; %s%n", HIT_SHARE * 100, small.length, TasteBenchmark.p(small, 0.50), TasteBenchmark.p(small, 0.99),
                oneHash.summary());
        long[] details = detailsRoundTrips(http, one, BASELINE_REQUESTS);
        System.out.printf("baseline, 1 client: GET /hash_details, %,d calls: p50 %.2f ms, p99 %.2f ms%n", details.length,
                TasteBenchmark.p(details, 0.50), TasteBenchmark.p(details, 0.99));
        double ratio = TasteBenchmark.p(large, 0.50) / TasteBenchmark.p(small, 0.50);
        System.out.printf("%,d-hash/1-hash median ratio: %.1fx (%.1f us per hash beyond the first)%n", HASHES, ratio,
                (TasteBenchmark.p(large, 0.50) - TasteBenchmark.p(small, 0.50)) * 1000 / Math.max(1, HASHES - 1));
        Tally.printFirstErrors(List.of(single, concurrentTally, oneHash));
        if (EXPLAIN) {
            explain(pepperId);
        }
    }

    // ---------------------------------------------------------------------------------------------------- setup

    private void seed(int pepperId) throws Exception {
        corpus = new FriendsCorpus(CLAIMS, JIDS, identifierKey, pepper, pepperId);
        long start = System.nanoTime();
        corpus.seed(jdbcUrl, WRITERS);
        double seeding = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        FriendsCorpus.analyze(jdbcUrl);
        double analyze = (System.nanoTime() - start) / 1e9;
        System.out.printf("seeded %,d verified, discoverable claims (%,d mail addresses, %,d phone numbers of GB, DE and FR) of "
                        + "%,d JIDs, sealed under the service's key, and their hashes under pepper %d, over JDBC: %.1f s (%,.0f claims/s; "
                        + "%d writers, 2,000 claims and their hashes a transaction as multi-row inserts); ANALYZE %.1f s; %s%n",
                CLAIMS, (CLAIMS + 1) / 2, CLAIMS / 2, corpus.jids(), pepperId, seeding, CLAIMS / seeding, WRITERS, analyze, sizes());
    }

    private int pepperId(String value) throws SQLException {
        try (Connection db = BenchStack.database(jdbcUrl);
             PreparedStatement s = db.prepareStatement("SELECT id FROM friend_peppers WHERE pepper = ?")) {
            s.setString(1, value);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("GET /hash_details told pepper " + value + ", which friend_peppers does not hold");
                }
                return rs.getInt(1);
            }
        }
    }

    private String sizes() throws SQLException {
        try (Connection db = BenchStack.database(jdbcUrl);
             PreparedStatement s = db.prepareStatement("SELECT pg_total_relation_size('friend_claims'), pg_total_relation_size('friend_hashes')");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return String.format("friend_claims %,d MiB and friend_hashes %,d MiB with their indexes", rs.getLong(1) >> 20, rs.getLong(2) >> 20);
        }
    }

    private static String newIdentifierKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The product's JVM options of every service (no friend-finder file of its own), then this benchmark's heap. */
    private static List<String> productJvm() {
        return List.of("@" + Path.of(System.getProperty("buddycloud.jvm-options", "../deploy/jvm.options")).toAbsolutePath(), "-Xmx" + HEAP);
    }

    // ---------------------------------------------------------------------------------------------------- lookups

    /** A request body and the mappings its answer must hold, no more and no fewer. */
    private record Lookup(List<String> hashes, String body, Map<String, String> expected) {
    }

    /**
     * {@code count} lookups of {@code size} hashes: {@code size × hit-share} of them (rounded at random, so that lookups
     * of one hash are claims that share of the time) hashes of distinct claims picked at random, the rest random.
     */
    private List<Lookup> lookups(int count, int size) throws IOException {
        List<Lookup> lookups = new ArrayList<>(count);
        byte[] digest = new byte[32];
        for (int n = 0; n < count; n++) {
            double wanted = size * HIT_SHARE;
            int known = (int) wanted + (random.nextDouble() < wanted - (int) wanted ? 1 : 0);
            List<String> hashes = new ArrayList<>(size);
            Map<String, String> expected = new HashMap<>();
            Set<Integer> picked = new HashSet<>();
            while (picked.size() < Math.min(known, CLAIMS)) {
                int claim = random.nextInt(CLAIMS);
                if (picked.add(claim)) {
                    String hash = corpus.hash(claim);
                    hashes.add(hash);
                    expected.put(hash, corpus.jid(claim));
                }
            }
            while (hashes.size() < size) {
                random.nextBytes(digest);
                hashes.add(HASH_TEXT.encodeToString(digest));
            }
            Collections.shuffle(hashes, random);
            String body = JSON.writeValueAsString(Map.of("algorithm", LookupHashes.ALGORITHM, "pepper", pepper, "addresses", hashes));
            lookups.add(new Lookup(hashes, body, expected));
        }
        return lookups;
    }

    /** One client's lookups one after the other; the latency of each, sorted. */
    private long[] sequential(HttpClient http, Login who, List<Lookup> lookups, Tally tally) throws Exception {
        long[] nanos = new long[lookups.size()];
        for (int i = 0; i < lookups.size(); i++) {
            nanos[i] = send(http, who, lookups.get(i), tally);
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** Every client (an account each, its own connection) sends its share of the lookups as soon as the last one answered. */
    private void concurrent(List<Login> clients) throws Exception {
        int each = Math.max(1, CONCURRENT_REQUESTS / clients.size());
        List<List<Lookup>> shares = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            shares.add(lookups(each, HASHES));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong lastAnswer = new AtomicLong();
        List<Future<long[]>> results = new ArrayList<>();
        try {
            for (int c = 0; c < clients.size(); c++) {
                Login who = clients.get(c);
                List<Lookup> share = shares.get(c);
                results.add(pool.submit(() -> {
                    HttpClient http = newClient();
                    go.await();
                    long[] nanos = sequential(http, who, share, concurrentTally);
                    lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                    return nanos;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<long[]> result : results) {
                Arrays.stream(result.get()).forEach(all::add);
            }
            double seconds = (lastAnswer.get() - start) / 1e9;
            long[] nanos = all.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%d clients at once (an account each), %,d lookups of %,d hashes: %,.1f lookups/s, %,.0f hashes/s, "
                            + "%,.0f matches/s; p50 %.2f ms, p99 %.2f ms; %s%n", clients.size(), nanos.length, HASHES, nanos.length / seconds,
                    (double) nanos.length * HASHES / seconds, concurrentTally.matches.get() / seconds, TasteBenchmark.p(nanos, 0.50),
                    TasteBenchmark.p(nanos, 0.99), concurrentTally.summary());
        } finally {
            pool.shutdownNow();
        }
    }

    private long send(HttpClient http, Login who, Lookup lookup, Tally tally) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(friendFinder + "/lookup"))
                .header("Authorization", "Bearer " + who.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(lookup.body())).build();
        long start = System.nanoTime();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        tally.check(lookup, answer);
        return took;
    }

    private long[] detailsRoundTrips(HttpClient http, Login who, int count) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = hashDetails(http, who.accessToken());
            nanos[i] = System.nanoTime() - start;
            if (answer.statusCode() != 200 || !answer.body().contains(pepper)) {
                throw new IllegalStateException("GET /hash_details: " + answer.statusCode() + " " + answer.body());
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private HttpResponse<String> hashDetails(HttpClient http, String token) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(friendFinder + "/hash_details"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET /hash_details: " + answer.statusCode() + " " + answer.body());
        }
        return answer;
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The plan PostgreSQL runs the service's lookup with, for a fresh lookup of the measured size. */
    private void explain(int pepperId) throws Exception {
        Lookup lookup = lookups(1, HASHES).get(0);
        System.out.printf("the service's lookup query for %,d hashes (%d of them claims), EXPLAIN (ANALYZE, BUFFERS):%n",
                HASHES, lookup.expected().size());
        try (Connection db = BenchStack.database(jdbcUrl);
             PreparedStatement s = db.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + MATCH_QUERY)) {
            s.setInt(1, pepperId);
            s.setArray(2, db.createArrayOf("text", lookup.hashes().toArray(String[]::new)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    // the array's thousand hashes, shortened
                    System.out.println("  " + rs.getString(1).replaceAll("'\\{[^}]*}'", String.format("'{…%,d hashes…}'", HASHES)));
                }
            }
        }
    }

    /** What the answers of one phase held: matches, and every answer that was not exactly the expected mappings. */
    private static final class Tally {

        private static final int KEPT = 5;

        final AtomicLong matches = new AtomicLong();
        final AtomicLong wrongAnswers = new AtomicLong();
        final AtomicLong missing = new AtomicLong();
        final AtomicLong unexpected = new AtomicLong();
        final AtomicLong wrongJids = new AtomicLong();
        final List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());

        void check(Lookup lookup, HttpResponse<String> answer) throws IOException {
            if (answer.statusCode() != 200) {
                error("HTTP " + answer.statusCode() + ": " + shortened(answer.body()));
                return;
            }
            JsonNode mappings = JSON.readTree(answer.body()).path("mappings");
            int right = 0;
            int wrongJid = 0;
            List<String> notes = new ArrayList<>();
            for (Map.Entry<String, JsonNode> mapping : mappings.properties()) {
                String expected = lookup.expected().get(mapping.getKey());
                if (expected == null) {
                    unexpected.incrementAndGet();
                    notes.add("unexpected " + mapping.getKey() + " -> " + mapping.getValue().asText());
                } else if (!expected.equals(mapping.getValue().asText())) {
                    wrongJid++;
                    notes.add(mapping.getKey() + " -> " + mapping.getValue().asText() + " instead of " + expected);
                } else {
                    right++;
                }
            }
            int absent = lookup.expected().size() - right - wrongJid;
            if (absent > 0) {
                lookup.expected().entrySet().stream().filter(e -> !mappings.has(e.getKey())).findFirst()
                        .ifPresent(e -> notes.add(absent + " missing, e.g. " + e.getKey() + " -> " + e.getValue()));
            }
            matches.addAndGet(right);
            missing.addAndGet(absent);
            wrongJids.addAndGet(wrongJid);
            if (!notes.isEmpty()) {
                error(lookup.expected().size() + " expected, " + mappings.size() + " answered: "
                        + String.join("; ", notes.subList(0, Math.min(3, notes.size()))));
            }
        }

        private void error(String what) {
            wrongAnswers.incrementAndGet();
            if (firstErrors.size() < KEPT) {
                firstErrors.add(what);
            }
        }

        String summary() {
            return wrongAnswers.get() == 0 ? "errors 0 (every answer held exactly the expected matches)"
                    : String.format("errors %,d answers (%,d matches missing, %,d unexpected, %,d with the wrong JID)",
                    wrongAnswers.get(), missing.get(), unexpected.get(), wrongJids.get());
        }

        static void printFirstErrors(List<Tally> tallies) {
            List<String> errors = tallies.stream().flatMap(t -> t.firstErrors.stream()).limit(KEPT).toList();
            if (!errors.isEmpty()) {
                System.out.println("first errors:");
                errors.forEach(e -> System.out.println("  " + e));
            }
        }

        private static String shortened(String body) {
            return body.length() > 300 ? body.substring(0, 300) + "…" : body;
        }
    }
}
