package org.buddycloud.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.EventPayload;
import org.buddycloud.contracts.events.NodeSettings;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.taste.domain.ActivityLedger;
import org.buddycloud.taste.domain.ChannelCatalog;
import org.buddycloud.taste.domain.FollowGraph;
import org.buddycloud.taste.domain.Page;
import org.buddycloud.taste.domain.Suggestion;
import org.buddycloud.taste.domain.Suggestions;
import org.buddycloud.taste.domain.Taste;
import org.buddycloud.taste.domain.TasteEvents;

/**
 * The taste engine's recommender, measured three ways.
 * <ul>
 *   <li>Offline evaluation, in this JVM: a {@link TasteCorpus} of {@value #DEFAULT_USERS} users in
 *   {@value #DEFAULT_COMMUNITIES} circles of {@value #DEFAULT_CHANNELS_PER_COMMUNITY} topic channels; a fifth of every
 *   user's follows (at least one, for users with {@value #FEWEST_EVALUATED} or more) held out; the rest fed through
 *   {@link TasteEvents#apply} as the channel server's contract events, with posts so that "most active" has data. For
 *   every evaluated user, precision@10 and recall@10 of {@link Taste#recommend} against the held-out follows, beside a
 *   most-popular baseline in the same run (the 10 channels with most training followers the user neither follows nor
 *   owns) and a reference that knows the planted circles (the most followed of the user's own circle); p50/p99 of
 *   one recommend() and of one similar().</li>
 *   <li>Memory: graphs of about {@value #DEFAULT_MEMORY_EDGES} follow edges (the same shape scaled up) built through
 *   the events; the model's retained heap (FollowGraph and ChannelCatalog) after forced collections, per edge and per
 *   100,000 edges; the rate of applying the events.</li>
 *   <li>End to end ({@link TasteLive}): the packaged channel server and taste engine on a real Kafka and PostgreSQL; a
 *   follow over REST until the engine's recommendations change, beside a plain round trip.</li>
 * </ul>
 * {@code -Dbench.taste.parts=offline,memory,live} chooses the parts.
 */
public final class TasteBenchmark {

    private static final int DEFAULT_USERS = 10_000;
    private static final int DEFAULT_COMMUNITIES = 50;
    private static final int DEFAULT_CHANNELS_PER_COMMUNITY = 40;
    private static final long DEFAULT_MEMORY_EDGES = 1_000_000;
    private static final int FEWEST_EVALUATED = 5;
    private static final int TOP = 10;
    private static final int BATCH = 10_000;

    private static final TasteCorpus.Shape SHAPE = new TasteCorpus.Shape(
            Integer.getInteger("bench.taste.users", DEFAULT_USERS),
            Integer.getInteger("bench.taste.communities", DEFAULT_COMMUNITIES),
            Integer.getInteger("bench.taste.channels-per-community", DEFAULT_CHANNELS_PER_COMMUNITY),
            Integer.getInteger("bench.taste.min-follows", 10),
            Integer.getInteger("bench.taste.max-follows", 30),
            Double.parseDouble(System.getProperty("bench.taste.own-share", "0.8")),
            Double.parseDouble(System.getProperty("bench.taste.zipf", "1.0")),
            Long.getLong("bench.taste.seed", 20_261_207L));
    private static final double HELD_OUT = Double.parseDouble(System.getProperty("bench.taste.held-out", "0.2"));
    /** Users evaluated (a sample, the same for a seed); 0: every user with enough follows. */
    private static final int EVALUATED = Integer.getInteger("bench.taste.evaluated", 0);
    private static final int WARM_UP = Integer.getInteger("bench.taste.warm-up", 2_000);
    private static final String MEMORY_EDGES = System.getProperty("bench.taste.memory-edges", Long.toString(DEFAULT_MEMORY_EDGES));
    private static final List<String> PARTS = List.of(System.getProperty("bench.taste.parts", "offline,memory,live").split(","));

    private static final Actor ANYONE = Actor.ANONYMOUS;
    private static final Page FIRST_TEN = new Page(0, TOP);

    private TasteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        System.out.println(Machine.describe());
        System.out.println("collectors: " + ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
        if (PARTS.contains("offline")) {
            offline();
        }
        if (PARTS.contains("memory")) {
            for (String edges : MEMORY_EDGES.split(",")) {
                if (Long.parseLong(edges.trim()) > 0) {
                    memory(Long.parseLong(edges.trim()));
                }
            }
        }
        if (PARTS.contains("live")) {
            TasteLive.measure();
        }
        System.out.printf("%n%s%ntaste benchmark took %.0f s%n", Machine.describe(), (System.nanoTime() - started) / 1e9);
    }

    // ---------------------------------------------------------------------------------------------------- the model

    /** One model as the taste engine composes it, fed in this JVM. */
    private static final class Model {
        final FollowGraph graph = new FollowGraph();
        final ChannelCatalog catalog = new ChannelCatalog();
        final ActivityLedger activity = new ActivityLedger();
        final TasteEvents events = new TasteEvents(graph, catalog, activity);

        Taste taste(Clock clock) {
            return new Taste(graph, catalog, activity, new Audience(new Permissions(TasteCorpus.DOMAIN)), clock);
        }
    }

    /** Events applied, and the time spent in {@link TasteEvents#apply} alone. */
    private record Applied(long events, long nanos) {
        double perSecond() {
            return events / (nanos / 1e9);
        }
    }

    /**
     * Every user's personal channel and every topic channel, as {@code channel.created} events; JIDs parsed for each
     * event afresh, as a consumer decoding the records would.
     */
    private static Applied createChannels(Model model, TasteCorpus corpus, Instant now) {
        List<EventPayload> batch = new ArrayList<>(BATCH);
        long events = 0;
        long nanos = 0;
        for (int u = 0; u < corpus.users(); u++) {
            Jid jid = Jid.parse(TasteCorpus.userJid(u));
            batch.add(new ChannelCreated(jid, ChannelType.PERSONAL, Jid.parse(TasteCorpus.userJid(u)), AccessModel.OPEN,
                    personalNodes(jid), now.minus(Duration.ofDays(90)),
                    new NodeSettings(TasteCorpus.userName(u), null, AccessModel.OPEN, Affiliation.PUBLISHER, true, false)));
            if (batch.size() == BATCH) {
                nanos += apply(model, batch, now);
                events += batch.size();
                batch.clear();
            }
        }
        for (int c = 0; c < corpus.channels(); c++) {
            Jid jid = Jid.parse(TasteCorpus.channelJid(c));
            batch.add(new ChannelCreated(jid, ChannelType.TOPIC, Jid.parse(TasteCorpus.userJid(corpus.owner(c))), AccessModel.OPEN,
                    List.of(new ChannelCreated.CreatedNode(posts(jid), AccessModel.OPEN)), now.minus(Duration.ofDays(60)),
                    new NodeSettings("Circle " + corpus.communityOfChannel(c) + ", channel " + c, "about the circle's things",
                            AccessModel.OPEN, Affiliation.PUBLISHER, true, false)));
            if (batch.size() == BATCH) {
                nanos += apply(model, batch, now);
                events += batch.size();
                batch.clear();
            }
        }
        nanos += apply(model, batch, now);
        events += batch.size();
        return new Applied(events, nanos);
    }

    /** One {@code subscription.changed} (subscribed) per follow {@code followsOf} gives. */
    private static Applied follow(Model model, TasteCorpus corpus, IntFunction<int[]> followsOf, Instant now) {
        List<EventPayload> batch = new ArrayList<>(BATCH);
        long events = 0;
        long nanos = 0;
        for (int u = 0; u < corpus.users(); u++) {
            for (int c : followsOf.apply(u)) {
                Jid channel = Jid.parse(TasteCorpus.channelJid(c));
                Jid user = Jid.parse(TasteCorpus.userJid(u));
                batch.add(new SubscriptionChanged(channel, posts(channel), user, Subscription.SUBSCRIBED, Subscription.NONE,
                        Affiliation.PUBLISHER, user, AccessModel.OPEN, now.minus(Duration.ofDays(30))));
                if (batch.size() == BATCH) {
                    nanos += apply(model, batch, now);
                    events += batch.size();
                    batch.clear();
                }
            }
        }
        nanos += apply(model, batch, now);
        events += batch.size();
        return new Applied(events, nanos);
    }

    /** Posts of the last six days: a channel posts more the more followers it has (one post per 8, at random), at least one. */
    private static Applied publish(Model model, int[] followers, Random random, Instant now) {
        List<EventPayload> batch = new ArrayList<>();
        for (int c = 0; c < followers.length; c++) {
            int count = 1 + random.nextInt(1 + followers[c] / 4);
            Jid jid = Jid.parse(TasteCorpus.channelJid(c));
            Jid author = Jid.parse(TasteCorpus.userJid(0));
            for (int i = 0; i < count; i++) {
                Instant at = now.minus(Duration.ofMinutes(random.nextInt(6 * 24 * 60)));
                batch.add(new PostPublished(new Post(jid, posts(jid), "p" + c + "-" + i, null, author, null, null, at, at, null,
                        "hello", "text", null, null, List.of(), List.of(), null), AccessModel.OPEN));
            }
        }
        return new Applied(batch.size(), apply(model, batch, now));
    }

    private static long apply(Model model, List<EventPayload> batch, Instant now) {
        long start = System.nanoTime();
        for (EventPayload event : batch) {
            model.events.apply(event, now);
        }
        return System.nanoTime() - start;
    }

    private static List<ChannelCreated.CreatedNode> personalNodes(Jid channel) {
        return List.of(new ChannelCreated.CreatedNode(posts(channel), AccessModel.OPEN),
                new ChannelCreated.CreatedNode("/user/" + channel + "/status", AccessModel.OPEN),
                new ChannelCreated.CreatedNode("/user/" + channel + "/geo/current", AccessModel.AUTHORIZE));
    }

    private static String posts(Jid channel) {
        return "/user/" + channel + "/posts";
    }

    // ---------------------------------------------------------------------------------------------------- offline

    /** Hits of one list of suggestions against one user's held-out follows. */
    private static final class Scores {
        double precision;
        double recall;
        long slots;
        long hits;
        final long[] slotsByReason = new long[Suggestion.Reason.values().length];
        final long[] hitsByReason = new long[Suggestion.Reason.values().length];

        void add(int hitCount, int heldOut) {
            precision += hitCount / (double) TOP;
            recall += hitCount / (double) heldOut;
            hits += hitCount;
        }
    }

    private static void offline() {
        TasteCorpus corpus = TasteCorpus.generate(SHAPE);
        Random random = new Random(SHAPE.seed() * 31 + 7);
        int[][] training = new int[corpus.users()][];
        int[][] heldOut = new int[corpus.users()][];
        List<Integer> eligible = new ArrayList<>();
        for (int u = 0; u < corpus.users(); u++) {
            int[] follows = corpus.follows(u).clone();
            shuffle(follows, random);
            int held = follows.length < FEWEST_EVALUATED ? 0 : Math.max(1, (int) (follows.length * HELD_OUT));
            heldOut[u] = Arrays.copyOfRange(follows, 0, held);
            training[u] = Arrays.copyOfRange(follows, held, follows.length);
            if (held > 0) {
                eligible.add(u);
            }
        }
        Collections.shuffle(eligible, random);
        List<Integer> evaluated = EVALUATED > 0 && EVALUATED < eligible.size() ? eligible.subList(0, EVALUATED) : eligible;
        long heldTotal = evaluated.stream().mapToLong(u -> heldOut[u].length).sum();
        long trainingEdges = Arrays.stream(training).mapToLong(t -> t.length).sum();
        System.out.printf("%n== offline evaluation (in process, no Kafka)%n");
        System.out.printf("%,d users in %,d circles of %,d open advertised topic channels (%,d channels), %d-%d follows each, "
                        + "%.0f%% from their circle (Zipf s=%.1f by rank), the rest uniform over all channels; seed %d%n",
                corpus.users(), SHAPE.communities(), SHAPE.channelsPerCommunity(), corpus.channels(), SHAPE.minFollows(),
                SHAPE.maxFollows(), SHAPE.ownShare() * 100, SHAPE.zipf(), SHAPE.seed());
        System.out.printf("%,d follows: %,d fed as training, %,d held out (%.0f%% of each user's, at least 1 from %d follows); "
                        + "%,d users evaluated (%s), %,d held-out follows among them%n", corpus.edges(), trainingEdges,
                corpus.edges() - trainingEdges, HELD_OUT * 100, FEWEST_EVALUATED, evaluated.size(),
                evaluated.size() == eligible.size() ? "all with enough follows" : "a sample of " + eligible.size(), heldTotal);

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Model model = new Model();
        Applied channels = createChannels(model, corpus, now);
        Applied memberships = follow(model, corpus, u -> training[u], now);
        int[] followers = new int[corpus.channels()];
        for (int[] t : training) {
            for (int c : t) {
                followers[c]++;
            }
        }
        Applied posts = publish(model, followers, random, now);
        System.out.printf("fed: %,d channel.created (%,.0f/s), %,d subscription.changed (%,.0f/s), %,d post.published (%,.0f/s); "
                        + "graph holds %,d edges (the training follows and each topic channel's owner)%n", channels.events(), channels.perSecond(), memberships.events(),
                memberships.perSecond(), posts.events(), posts.perSecond(), model.graph.edges());

        Taste taste = model.taste(clock);
        Map<Jid, Integer> topicNumbers = new HashMap<>();
        for (int c = 0; c < corpus.channels(); c++) {
            topicNumbers.put(Jid.parse(TasteCorpus.channelJid(c)), c);
        }
        Jid[] users = new Jid[corpus.users()];
        for (int u = 0; u < corpus.users(); u++) {
            users[u] = Jid.parse(TasteCorpus.userJid(u));
        }
        int[] popular = byFollowers(followers);

        int warmUps = Math.min(WARM_UP, evaluated.size());
        long warmStart = System.nanoTime();
        for (int i = 0; i < warmUps; i++) {
            taste.recommend(ANYONE, users[evaluated.get(i)], FIRST_TEN);
        }
        double warmSeconds = (System.nanoTime() - warmStart) / 1e9;

        Scores engine = new Scores();
        Scores baseline = new Scores();
        Scores circle = new Scores();
        double ceiling = 0;
        long[] recommendNanos = new long[evaluated.size()];
        boolean[] followed = new boolean[corpus.channels()];
        long measuredStart = System.nanoTime();
        for (int i = 0; i < evaluated.size(); i++) {
            int u = evaluated.get(i);
            long start = System.nanoTime();
            Suggestions suggested = taste.recommend(ANYONE, users[u], FIRST_TEN);
            recommendNanos[i] = System.nanoTime() - start;
            int hits = 0;
            for (Suggestion s : suggested.items()) {
                Integer c = topicNumbers.get(s.channel().channel());
                boolean hit = c != null && contains(heldOut[u], c);
                hits += hit ? 1 : 0;
                engine.slots++;
                engine.slotsByReason[s.reason().ordinal()]++;
                engine.hitsByReason[s.reason().ordinal()] += hit ? 1 : 0;
            }
            engine.add(hits, heldOut[u].length);

            for (int c : training[u]) {
                followed[c] = true;
            }
            int baselineHits = 0;
            int shown = 0;
            for (int at = 0; at < popular.length && shown < TOP; at++) {
                int c = popular[at];
                if (!followed[c] && corpus.owner(c) != u) {
                    shown++;
                    baselineHits += contains(heldOut[u], c) ? 1 : 0;
                }
            }
            baseline.slots += shown;
            baseline.add(baselineHits, heldOut[u].length);
            int circleHits = 0;
            int circleShown = 0;
            for (int at = 0; at < popular.length && circleShown < TOP; at++) {
                int c = popular[at];
                if (corpus.communityOfChannel(c) == corpus.community(u) && !followed[c] && corpus.owner(c) != u) {
                    circleShown++;
                    circleHits += contains(heldOut[u], c) ? 1 : 0;
                }
            }
            circle.slots += circleShown;
            circle.add(circleHits, heldOut[u].length);
            for (int c : training[u]) {
                followed[c] = false;
            }
            ceiling += Math.min(TOP, heldOut[u].length) / (double) TOP;
        }
        double measuredSeconds = (System.nanoTime() - measuredStart) / 1e9;

        // similar(): every topic channel, after a warm-up round over a tenth of them
        for (int c = 0; c < corpus.channels() / 10; c++) {
            taste.similar(ANYONE, Jid.parse(TasteCorpus.channelJid(c)), FIRST_TEN);
        }
        long[] similarNanos = new long[corpus.channels()];
        long similarShown = 0;
        long sameCircle = 0;
        for (int c = 0; c < corpus.channels(); c++) {
            Jid channel = Jid.parse(TasteCorpus.channelJid(c));
            long start = System.nanoTime();
            Suggestions similar = taste.similar(ANYONE, channel, FIRST_TEN);
            similarNanos[c] = System.nanoTime() - start;
            for (Suggestion s : similar.items()) {
                Integer other = topicNumbers.get(s.channel().channel());
                similarShown++;
                sameCircle += other != null && corpus.communityOfChannel(other) == corpus.communityOfChannel(c) ? 1 : 0;
            }
        }

        int n = evaluated.size();
        double enginePrecision = engine.precision / n;
        double baselinePrecision = baseline.precision / n;
        System.out.printf("%nrecommend(anonymous viewer, user, first 10) for each evaluated user (%,d warm-up calls first, %.1f s; "
                + "measured pass %.1f s)%n", warmUps, warmSeconds, measuredSeconds);
        System.out.printf("  %-44s %14s %11s %16s%n", "", "precision@10", "recall@10", "slots filled");
        System.out.printf("  %-44s %14.4f %11.4f %15.1f%%%n", "taste engine", enginePrecision, engine.recall / n,
                100.0 * engine.slots / (n * (double) TOP));
        System.out.printf("  %-44s %14.4f %11.4f %15.1f%%%n", "most popular (training followers) baseline", baselinePrecision,
                baseline.recall / n, 100.0 * baseline.slots / (n * (double) TOP));
        System.out.printf("  %-44s %14.4f %11.4f %15.1f%%%n", "reference: most popular of the user's own circle", circle.precision / n,
                circle.recall / n, 100.0 * circle.slots / (n * (double) TOP));
        System.out.printf("  %-44s %14.4f %11s%n", "ceiling (every held-out follow in the 10)", ceiling / n, "1.0000");
        System.out.println("  (baselines leave out what the user follows in training or owns; the circle reference knows the planted "
                + "circles, which the engine must find)");
        System.out.printf("  engine/baseline precision@10: %.2fx (goal >= 2x: %s)%n", enginePrecision / baselinePrecision,
                enginePrecision >= 2 * baselinePrecision ? "met" : "missed");
        for (Suggestion.Reason reason : Suggestion.Reason.values()) {
            long slots = engine.slotsByReason[reason.ordinal()];
            long hits = engine.hitsByReason[reason.ordinal()];
            System.out.printf("  engine's %-12s suggestions: %5.1f%% of the slots, %,d hits, precision of those slots %.4f%n",
                    reason, 100.0 * slots / (n * (double) TOP), hits, slots == 0 ? 0 : hits / (double) slots);
        }
        Arrays.sort(recommendNanos);
        Arrays.sort(similarNanos);
        System.out.printf("latency: recommend() p50 %.3f ms p99 %.3f ms (%,d calls); similar() p50 %.3f ms p99 %.3f ms "
                        + "(%,d calls, every topic channel)%n", p(recommendNanos, 0.50), p(recommendNanos, 0.99), n,
                p(similarNanos, 0.50), p(similarNanos, 0.99), similarNanos.length);
        System.out.printf("similar(): %.1f suggestions per channel, %.1f%% of them from the channel's own circle%n",
                similarShown / (double) corpus.channels(), 100.0 * sameCircle / Math.max(1, similarShown));
        Reference.reachabilityFence(model);
    }

    /** Channel numbers, most training followers first (then lowest number). */
    private static int[] byFollowers(int[] followers) {
        return IntStream.range(0, followers.length).boxed()
                .sorted((a, b) -> followers[a] != followers[b] ? Integer.compare(followers[b], followers[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    /** The {@code q} quantile of sorted nanoseconds, in milliseconds. */
    static double p(long[] sortedNanos, double q) {
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, (int) Math.ceil(q * sortedNanos.length) - 1))] / 1e6;
    }

    // ---------------------------------------------------------------------------------------------------- memory

    private static void memory(long wantedEdges) {
        TasteCorpus.Shape shape = SHAPE.scaledTo(wantedEdges);
        TasteCorpus corpus = TasteCorpus.generate(shape);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        System.out.printf("%n== memory: %,d follows and %,d owners (%,d users, %,d circles, %,d topic channels, the offline shape "
                + "scaled)%n", corpus.edges(), corpus.channels(), corpus.users(), shape.communities(), corpus.channels());
        long empty = settledHeap();
        Model model = new Model();
        Applied channels = createChannels(model, corpus, now);
        long withChannels = settledHeap();
        Applied memberships = follow(model, corpus, corpus::follows, now);
        long withFollows = settledHeap();
        long edges = model.graph.edges();
        // a topic channel's creator follows it from its channel.created on, as on the channel server
        if (edges != corpus.edges() + corpus.channels()) {
            throw new IllegalStateException("the graph holds " + edges + " edges; " + corpus.edges() + " follows and "
                    + corpus.channels() + " owners were fed");
        }
        double wholePerEdge = (withFollows - empty) / (double) edges;
        double followsPerEdge = (withFollows - withChannels) / (double) memberships.events();
        System.out.printf("applying: %,d channel.created in %.2f s (%,.0f events/s), %,d subscription.changed in %.2f s "
                        + "(%,.0f events/s; time in TasteEvents.apply only, JIDs parsed per event beforehand)%n",
                channels.events(), channels.nanos() / 1e9, channels.perSecond(), memberships.events(), memberships.nanos() / 1e9,
                memberships.perSecond());
        System.out.printf("retained heap after forced collections: %,.1f MB with the %,d channels and their owners (%,.0f bytes "
                        + "per channel), %,.1f MB with the follows too%n", (withChannels - empty) / 1e6, channels.events(),
                (withChannels - empty) / (double) channels.events(), (withFollows - empty) / 1e6);
        System.out.printf("  whole model (FollowGraph + ChannelCatalog) over its %,d edges: %.1f bytes per edge, %.2f MB per "
                + "100,000 edges%n", edges, wholePerEdge, wholePerEdge * 100_000 / 1e6);
        System.out.printf("  the follow edges alone (beyond the channels): %.1f bytes per edge, %.2f MB per 100,000 edges%n",
                followsPerEdge, followsPerEdge * 100_000 / 1e6);
        Reference.reachabilityFence(model);
        Reference.reachabilityFence(corpus);
    }

    /** Heap in use once forced collections no longer change it (within 64 KiB twice running, at most 20 rounds). */
    private static long settledHeap() {
        long previous = -1;
        int steady = 0;
        long used = 0;
        for (int round = 0; round < 20 && steady < 2; round++) {
            System.gc();
            LockSupport.parkNanos(Duration.ofMillis(150).toNanos());
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            steady = previous >= 0 && Math.abs(used - previous) < 64 * 1024 ? steady + 1 : 0;
            previous = used;
        }
        return used;
    }
}
