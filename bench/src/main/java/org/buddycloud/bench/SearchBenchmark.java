package org.buddycloud.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.KafkaEventCodec;
import org.buddycloud.contracts.events.NodeSettings;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.localstack.KafkaNode;
import org.buddycloud.localstack.Ports;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.ElasticsearchNodeProcess;
import org.buddycloud.testsupport.TestDirectories;

/**
 * The packaged search service rebuilding a fresh index from the topics, then answering queries, with each engine
 * (real Kafka and PostgreSQL; Elasticsearch 8.19 as {@link ElasticsearchNodeProcess}).
 * <ul>
 *   <li>Indexing: {@value #DEFAULT_POSTS} {@code post.published} events (-Dbench.search.posts=) over
 *   {@value #DEFAULT_CHANNELS} open channels ({@code channel.created} and {@code channel.configured} with titles,
 *   descriptions and, for a share, a place) are on the topics before the service starts; from its launch until its
 *   readiness says lag 0 and the index holds every post (counted in the index itself). Posts are 10–40 words drawn
 *   Zipf-like from a vocabulary (see {@link SearchCorpus}), spread over 30 days, busier channels Zipf-like too.</li>
 *   <li>Queries: anonymous, sequential over one HTTP/1.1 connection, a warm-up then p50/p99 of each kind: full text of
 *   1–2 words by relevance and by newest, a two-word phrase, the directory (metadata), nearby (500 km) and most
 *   active (7 days). Both engines are asked the same queries; the totals they answer are compared too.</li>
 * </ul>
 * Lucene first, then Elasticsearch in the same run, and the ratio Lucene/Elasticsearch of every figure.
 */
public final class SearchBenchmark {

    private static final int DEFAULT_POSTS = 1_000_000;
    private static final int DEFAULT_CHANNELS = 5_000;
    private static final int POSTS = Integer.getInteger("bench.search.posts", DEFAULT_POSTS);
    private static final int CHANNELS = Integer.getInteger("bench.search.channels", DEFAULT_CHANNELS);
    private static final int QUERIES = Integer.getInteger("bench.search.queries", 2_000);
    private static final int WARMUP = Integer.getInteger("bench.search.warmup", 500);
    private static final int VOCABULARY = Integer.getInteger("bench.search.vocabulary", 20_000);
    private static final boolean ELASTICSEARCH = Boolean.parseBoolean(System.getProperty("bench.search.elasticsearch", "true"));
    private static final String HEAP = System.getProperty("bench.search.heap", "1g");
    private static final Duration INDEX_DEADLINE = Duration.ofMinutes(Long.getLong("bench.search.deadline-minutes", 30));
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(Long.getLong("bench.search.query-timeout-seconds", 30));
    private static final double LOCATED_SHARE = 0.4;
    private static final Duration SPREAD = Duration.ofDays(30);
    private static final long SEED = 20_240_601L;
    private static final Pattern LAG = Pattern.compile("\"lag\"\\s*:\\s*(\\d+)");
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
    private static final Pattern ACTIVITY = Pattern.compile("\"posts\"\\s*:");

    /** One kind of query: its label and the request paths (warm-up first, then the measured ones). */
    private record QueryKind(String label, List<String> paths) {
    }

    /** Latencies (µs, sorted) and what each measured query answered (total hits, or channels for most active). */
    private record Latency(long[] micros, long[] totals, int errors, String firstError) {
        double p(double q) {
            return micros[Math.min(micros.length - 1, (int) Math.ceil(q * micros.length) - 1)] / 1000.0;
        }

        double meanTotal() {
            return Arrays.stream(totals).average().orElse(0);
        }

        long empty() {
            return Arrays.stream(totals).filter(t -> t == 0).count();
        }
    }

    private record Indexing(double fromLaunch, double fromHttp, long lagAtHttp, long posts, double serviceCpu, Double engineCpu,
                            long indexBytes) {
        double rate() {
            return POSTS / fromLaunch;
        }

        /** Events applied per second once the service answered (its lag then, over the time from then). */
        double steadyRate() {
            return lagAtHttp / fromHttp;
        }
    }

    private record EngineResult(String engine, Indexing indexing, Map<String, Latency> latencies) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String jwksUrl;
    private final KafkaNode kafka;
    private final PostgresNode postgres;
    private final List<QueryKind> queries;

    private SearchBenchmark(String jwksUrl, KafkaNode kafka, PostgresNode postgres, List<QueryKind> queries) {
        this.jwksUrl = jwksUrl;
        this.kafka = kafka;
        this.postgres = postgres;
        this.queries = queries;
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Machine.describe());
        System.out.printf("%,d posts over %,d open channels (%.0f%% with a place), 10-40 words Zipf-like from %,d words; "
                        + "search service -Xmx%s, production JIT%n", POSTS, CHANNELS, LOCATED_SHARE * 100, VOCABULARY, HEAP);
        Path kafkaDir = TestDirectories.create("bench-kafka-");
        Path postgresDir = TestDirectories.create("bench-postgres-");
        com.sun.net.httpserver.HttpServer jwks = signingKeys();
        try (KafkaNode kafka = KafkaNode.start(kafkaDir, 0, 0);
             PostgresNode postgres = PostgresNode.start(postgresDir, TestDirectories.postgresBinaries(), 0)) {
            postgres.ensureDatabases(List.of("search_lucene", "search_es"));
            BenchStack.createTopics(kafka);
            SearchCorpus corpus = new SearchCorpus(VOCABULARY);
            produce(kafka.bootstrapServers(), corpus);
            SearchBenchmark bench = new SearchBenchmark("http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json",
                    kafka, postgres, queries(corpus));

            EngineResult lucene = bench.lucene();
            EngineResult elastic = null;
            String noElastic = null;
            if (!ELASTICSEARCH) {
                noElastic = "left out (-Dbench.search.elasticsearch=false)";
            } else {
                ElasticsearchNodeProcess node = null;
                try {
                    node = ElasticsearchNodeProcess.start();
                    System.out.printf("%nElasticsearch node up at %s in %.1f s (-Xmx512m, log %s)%n", node.url(),
                            node.startTime().toMillis() / 1000.0, node.log());
                    elastic = bench.elasticsearch(node);
                } catch (ElasticsearchNodeProcess.UnavailableException e) {
                    noElastic = "the Elasticsearch node could not start: " + e.getMessage();
                } catch (Exception e) {
                    // Lucene's figures are still printed
                    noElastic = "the Elasticsearch run failed: " + e + (node == null ? "" : " (node log " + node.log() + ")");
                    e.printStackTrace(System.out);
                } finally {
                    if (node != null) {
                        node.close();
                    }
                }
            }
            report(lucene, elastic, noElastic);
        } finally {
            jwks.stop(0);
            TestDirectories.delete(kafkaDir);
            TestDirectories.delete(postgresDir);
        }
    }

    /**
     * The channel server's JWKS document as the service fetches it (its readiness waits for a signing key): one RSA key
     * nobody signs with, since every query here is anonymous.
     */
    private static com.sun.net.httpserver.HttpServer signingKeys() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) generator.generateKeyPair().getPublic();
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        byte[] modulus = key.getModulus().toByteArray();
        if (modulus[0] == 0) {
            modulus = Arrays.copyOfRange(modulus, 1, modulus.length);
        }
        byte[] document = ("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + b64.encodeToString(modulus) + "\",\"e\":\"" + b64.encodeToString(key.getPublicExponent().toByteArray()) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        server.start();
        return server;
    }

    // ---------------------------------------------------------------------------------------------------- the topics

    private static Jid channel(int i) {
        return Jid.parse("chan" + i + "@localhost");
    }

    /** Every event the service will index, written before it starts, as the channel server's relay writes them. */
    private static void produce(String bootstrap, SearchCorpus corpus) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L << 20));
        KafkaEventCodec codec = new KafkaEventCodec();
        Random random = new Random(SEED);
        Instant now = Instant.now();
        Instant firstPost = now.minus(SPREAD);
        long started = System.nanoTime();
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            int located = 0;
            for (int i = 0; i < CHANNELS; i++) {
                Jid jid = channel(i);
                String node = "/user/" + jid + "/posts";
                Instant created = firstPost.minus(Duration.ofDays(30)).plusSeconds(i);
                NodeSettings first = new NodeSettings(SearchCorpus.title(random), null, AccessModel.OPEN, Affiliation.PUBLISHER, true, false);
                producer.send(codec.record("buddycloud.channels", CloudEvent.of(EventTypes.CHANNEL_CREATED, "//bench",
                        new ChannelCreated(jid, ChannelType.PERSONAL, jid, AccessModel.OPEN,
                                List.of(new ChannelCreated.CreatedNode(node, AccessModel.OPEN)), created, first), created)));
                NodeSettings.Place place = null;
                if (random.nextDouble() < LOCATED_SHARE) {
                    SearchCorpus.City city = SearchCorpus.pick(random, SearchCorpus.CITIES);
                    place = new NodeSettings.Place(clamp(city.lat() + random.nextGaussian() * 1.5, -89, 89),
                            wrap(city.lon() + random.nextGaussian() * 1.5), city.name());
                    located++;
                }
                Instant configured = created.plus(Duration.ofDays(1));
                NodeSettings settings = new NodeSettings(first.title(), corpus.description(random), AccessModel.OPEN,
                        Affiliation.PUBLISHER, true, false, place);
                producer.send(codec.record("buddycloud.channels", CloudEvent.of(EventTypes.CHANNEL_CONFIGURED, "//bench",
                        new ChannelConfigured(jid, node, settings, jid, configured), configured)));
            }
            double[] busy = new double[CHANNELS];
            double sum = 0;
            for (int c = 0; c < CHANNELS; c++) {
                sum += 1.0 / Math.pow(c + 1, 0.8);
                busy[c] = sum;
            }
            long step = SPREAD.minusMinutes(1).toMillis() / Math.max(1, POSTS);
            for (int i = 0; i < POSTS; i++) {
                int at = Arrays.binarySearch(busy, random.nextDouble() * sum);
                int c = Math.min(CHANNELS - 1, at < 0 ? -at - 1 : at);
                Jid jid = channel(c);
                String node = "/user/" + jid + "/posts";
                String item = "p" + i;
                Instant published = firstPost.plusMillis(step * i);
                boolean reply = i > 0 && random.nextInt(4) == 0;
                Jid author = reply ? channel(random.nextInt(CHANNELS)) : jid;
                Post.Geoloc geoloc = null;
                if (random.nextInt(20) == 0) {
                    SearchCorpus.City city = SearchCorpus.pick(random, SearchCorpus.CITIES);
                    geoloc = new Post.Geoloc(city.lat(), city.lon(), city.name());
                }
                Post post = new Post(jid, node, item, "tag:localhost," + node + "," + item, author,
                        reply ? "p" + random.nextInt(i) : null, reply ? jid : null, published, published, null,
                        corpus.text(random, 10, 40), "text", null, null, List.of(), List.of(), geoloc);
                var record = codec.record("buddycloud.posts", CloudEvent.of(EventTypes.POST_PUBLISHED, "//bench",
                        new PostPublished(post, AccessModel.OPEN), published));
                bytes += record.value().length;
                producer.send(record);
                if ((i + 1) % 200_000 == 0) {
                    System.out.printf("  %,d posts written to the topic (%.0f s)%n", i + 1, (System.nanoTime() - started) / 1e9);
                }
            }
            producer.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("topics: %,d channel events (%,d channels with a place) and %,d posts (%,.0f MB of payload) written "
                    + "in %.1f s (%,.0f events/s from this producer)%n", CHANNELS * 2, located, POSTS, bytes / 1e6, seconds,
                    (CHANNELS * 2 + POSTS) / seconds);
        }
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }

    private static double wrap(double lon) {
        return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
    }

    // ---------------------------------------------------------------------------------------------------- queries

    /** The same queries for both engines: a warm-up share, then the measured ones, of every kind. */
    private static List<QueryKind> queries(SearchCorpus corpus) {
        Random random = new Random(SEED + 1);
        int n = WARMUP + QUERIES;
        Function<String, String> enc = s -> URLEncoder.encode(s, StandardCharsets.UTF_8);
        List<QueryKind> kinds = new ArrayList<>();
        kinds.add(new QueryKind("full text, relevance (1-2 words)", generate(n, () ->
                "/search?type=content&order=relevance&max=20&q=" + enc.apply(words(random)))));
        kinds.add(new QueryKind("full text, newest (1-2 words)", generate(n, () ->
                "/search?type=content&order=newest&max=20&q=" + enc.apply(words(random)))));
        kinds.add(new QueryKind("phrase (2 words, relevance)", generate(n, () ->
                "/search?type=content&max=20&q=" + enc.apply("\"" + corpus.phrase(random) + "\""))));
        kinds.add(new QueryKind("directory (metadata, 1 word)", generate(n, () ->
                "/search?type=metadata&max=20&q=" + enc.apply(SearchCorpus.directoryWord(random)))));
        kinds.add(new QueryKind("nearby (500 km)", generate(n, () -> {
            double lat;
            double lon;
            if (random.nextInt(10) < 7) {
                SearchCorpus.City city = SearchCorpus.pick(random, SearchCorpus.CITIES);
                lat = clamp(city.lat() + random.nextGaussian() * 3, -89, 89);
                lon = wrap(city.lon() + random.nextGaussian() * 3);
            } else {
                lat = -60 + random.nextDouble() * 130;
                lon = -180 + random.nextDouble() * 360;
            }
            return String.format(Locale.ROOT, "/search/nearby?lat=%.4f&lon=%.4f&radius=500&max=20", lat, lon);
        })));
        kinds.add(new QueryKind("most active (7 days, max 10)", generate(n, () -> "/search/most_active?period=7&max=10")));
        return kinds;
    }

    private static String words(Random random) {
        return random.nextBoolean() ? SearchCorpus.queryWord(random) : SearchCorpus.queryWord(random) + " " + SearchCorpus.queryWord(random);
    }

    private static List<String> generate(int n, java.util.function.Supplier<String> path) {
        return Stream.generate(path).limit(n).toList();
    }

    private Map<String, Latency> measureQueries(String baseUrl) throws Exception {
        int unanswered = 0;
        for (int i = 0; i < WARMUP; i++) {
            for (QueryKind kind : queries) {
                try {
                    ask(baseUrl + kind.paths().get(i));
                } catch (java.net.http.HttpTimeoutException e) {
                    unanswered++;
                    System.out.printf("  warm-up: no answer within %d s to %s%n", QUERY_TIMEOUT.toSeconds(), kind.paths().get(i));
                    if (unanswered > 10) {
                        throw new IllegalStateException("the search service left more than 10 warm-up queries unanswered");
                    }
                }
            }
        }
        Map<String, Latency> result = new LinkedHashMap<>();
        for (QueryKind kind : queries) {
            long[] micros = new long[QUERIES];
            long[] totals = new long[QUERIES];
            int errors = 0;
            String firstError = null;
            for (int i = 0; i < QUERIES; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response;
                try {
                    response = ask(baseUrl + kind.paths().get(WARMUP + i));
                } catch (java.net.http.HttpTimeoutException e) {
                    // an engine that never answers: counted (at the timeout) and reported, not the end of the run
                    micros[i] = (System.nanoTime() - start) / 1000;
                    errors++;
                    firstError = firstError == null ? "no answer within " + QUERY_TIMEOUT.toSeconds() + " s: " + kind.paths().get(WARMUP + i)
                            : firstError;
                    totals[i] = -1;
                    continue;
                }
                micros[i] = (System.nanoTime() - start) / 1000;
                if (response.statusCode() != 200) {
                    errors++;
                    firstError = firstError == null ? response.statusCode() + " " + response.body() : firstError;
                    totals[i] = -1;
                } else {
                    totals[i] = total(response.body());
                }
            }
            Arrays.sort(micros);
            Latency latency = new Latency(micros, totals, errors, firstError);
            result.put(kind.label(), latency);
            System.out.printf("  %-32s p50 %7.2f ms  p99 %7.2f ms  mean hits %,10.0f  empty %4d  errors %d%s%n", kind.label(),
                    latency.p(0.50), latency.p(0.99), latency.meanTotal(), latency.empty(), errors,
                    firstError == null ? "" : " (first: " + firstError + ")");
        }
        return result;
    }

    private HttpResponse<String> ask(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(QUERY_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A page's total ({@code rsm.count}); for most active, the channels listed. */
    private static long total(String body) {
        Matcher count = COUNT.matcher(body);
        if (count.find()) {
            return Long.parseLong(count.group(1));
        }
        return ACTIVITY.matcher(body).results().count();
    }

    // ---------------------------------------------------------------------------------------------------- engines

    private EngineResult lucene() throws Exception {
        Path index = TestDirectories.create("bench-search-lucene-");
        try {
            Map<String, String> config = new LinkedHashMap<>(Map.of("buddycloud.search.engine", "lucene",
                    "buddycloud.search.lucene.path", index.toString()));
            return run("lucene", "search_lucene", config, () -> countLucene(index), () -> sizeOf(index), null);
        } finally {
            TestDirectories.delete(index);
        }
    }

    private EngineResult elasticsearch(ElasticsearchNodeProcess node) throws Exception {
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> config = new LinkedHashMap<>(Map.of("buddycloud.search.engine", "elasticsearch",
                "buddycloud.search.elasticsearch.hosts", node.url(),
                "buddycloud.search.elasticsearch.index-prefix", prefix,
                // one node holds no replicas: the default of 1 would leave one unassigned copy of every shard
                "buddycloud.search.elasticsearch.replicas", "0"));
        return run("elasticsearch", "search_es", config, () -> countElastic(node.url(), prefix + "-posts"),
                () -> storeOf(node.url(), prefix + "-posts"), node.nodeJvm().orElse(null));
    }

    private interface Probe {
        long get() throws Exception;
    }

    private EngineResult run(String engine, String database, Map<String, String> engineConfig, Probe postCount, Probe indexBytes,
                             ProcessHandle engineJvm) throws Exception {
        System.out.printf("%n== %s: the packaged search service rebuilds a fresh index from the topics%n", engine);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        config.put("quarkus.datasource.username", PostgresNode.USER);
        config.put("quarkus.log.level", "WARN");
        config.put("buddycloud.auth.jwks-url", jwksUrl);
        config.put("buddycloud.auth.issuer", "urn:buddycloud:bench");
        config.putAll(engineConfig);
        config.putAll(BenchStack.serverSettingsFromCommandLine());
        int port = Ports.free();
        String baseUrl = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + HEAP));
        command.addAll(Stream.of(System.getProperty("bench.server-jvm", "").split(" ")).filter(o -> !o.isBlank()).toList());
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        Path jar = Path.of(System.getProperty("buddycloud.search-service.app", "../search-service/target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the search service is not packaged at " + jar.toAbsolutePath()
                    + "; build it first (mvn package -pl search-service -am)");
        }
        command.addAll(List.of("-jar", jar.toString()));
        Path log = Files.createDirectories(Path.of("target")).resolve("search-service-" + engine + ".log").toAbsolutePath();
        Double engineCpuBefore = engineJvm == null ? null : cpuSeconds(engineJvm);
        long launched = System.nanoTime();
        Process service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Indexing indexing = awaitIndexed(service, baseUrl, log, launched, postCount, indexBytes,
                    engineJvm, engineCpuBefore);
            System.out.printf("%s: %,d posts indexed %.1f s after launch (%,.0f posts/s); %.1f s after it first answered with lag %,d "
                            + "(%,.0f events/s); service CPU %.0f s%s; index %,.0f MB%n", engine, indexing.posts(), indexing.fromLaunch(),
                    indexing.rate(), indexing.fromHttp(), indexing.lagAtHttp(), indexing.steadyRate(), indexing.serviceCpu(),
                    indexing.engineCpu() == null ? "" : String.format(", Elasticsearch CPU %.0f s", indexing.engineCpu()),
                    indexing.indexBytes() / 1e6);
            System.out.printf("%s queries, anonymous, one after another over one connection (%,d warm-up rounds of all kinds, "
                    + "then %,d of each kind):%n", engine, WARMUP, QUERIES);
            return new EngineResult(engine, indexing, measureQueries(baseUrl));
        } finally {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Polls readiness until it is up with lag 0 and the index holds every post; prints progress now and then. */
    private Indexing awaitIndexed(Process service, String baseUrl, Path log, long launched, Probe postCount, Probe indexBytes,
                                  ProcessHandle engineJvm, Double engineCpuBefore) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build();
        long deadline = launched + INDEX_DEADLINE.toNanos();
        long firstAnswer = -1;
        long lagAtFirstAnswer = -1;
        long lastPrint = launched;
        while (true) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the search service exited with " + service.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the index was not built within " + INDEX_DEADLINE + "; see " + log);
            }
            HttpResponse<String> answer;
            try {
                answer = http.send(ready, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                continue;
            }
            long now = System.nanoTime();
            Matcher lag = LAG.matcher(answer.body());
            long lagNow = lag.find() ? Long.parseLong(lag.group(1)) : -1;
            if (firstAnswer < 0 && lagNow > 0) {
                firstAnswer = now;
                lagAtFirstAnswer = lagNow;
            }
            if (answer.statusCode() == 200 && lagNow == 0) {
                long posts = postCount.get();
                if (posts >= POSTS) {
                    long done = System.nanoTime();
                    double serviceCpu = cpuSeconds(service.toHandle());
                    Double engineCpu = engineJvm == null ? null : cpuSeconds(engineJvm) - engineCpuBefore;
                    if (firstAnswer < 0) {
                        firstAnswer = now;
                        lagAtFirstAnswer = 0;
                    }
                    return new Indexing((done - launched) / 1e9, (done - firstAnswer) / 1e9, lagAtFirstAnswer, posts, serviceCpu,
                            engineCpu, indexBytes.get());
                }
                System.out.printf("  ready with lag 0, but the index holds %,d of %,d posts%n", posts, POSTS);
            }
            if (now - lastPrint > Duration.ofSeconds(15).toNanos()) {
                lastPrint = now;
                System.out.printf("  %5.0f s: readiness %d, lag %,d%n", (now - launched) / 1e9, answer.statusCode(), lagNow);
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }

    private static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
    }

    /** Posts in the Lucene index's last commit, read beside the service's writer. */
    private static long countLucene(Path index) throws IOException {
        try (FSDirectory directory = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(directory)) {
            return new IndexSearcher(reader).count(new TermQuery(new Term("kind", "post")));
        }
    }

    private static long sizeOf(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private long countElastic(String url, String index) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        String body = http.send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_count")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher count = COUNT.matcher(body);
        if (!count.find()) {
            throw new IllegalStateException("Elasticsearch did not count " + index + ": " + body);
        }
        return Long.parseLong(count.group(1));
    }

    private long storeOf(String url, String index) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_stats/store")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher size = Pattern.compile("\"primaries\"\\s*:\\s*\\{\\s*\"store\"\\s*:\\s*\\{\\s*\"size_in_bytes\"\\s*:\\s*(\\d+)").matcher(body);
        return size.find() ? Long.parseLong(size.group(1)) : -1;
    }

    // ---------------------------------------------------------------------------------------------------- report

    private static void report(EngineResult lucene, EngineResult elastic, String noElastic) {
        System.out.printf("%n== search: %,d posts, %,d channels%n%s%n", POSTS, CHANNELS, Machine.describe());
        if (noElastic != null) {
            System.out.println("Elasticsearch: " + noElastic + "; Lucene only");
        }
        System.out.printf("%nindexing from the topics into a fresh index (until readiness says lag 0 and the index holds every post)%n");
        System.out.printf("  %-14s %14s %12s %18s %14s %12s %10s%n", "engine", "from launch", "posts/s", "events/s once up",
                "service CPU", "engine CPU", "index MB");
        for (EngineResult r : elastic == null ? List.of(lucene) : List.of(lucene, elastic)) {
            Indexing i = r.indexing();
            System.out.printf("  %-14s %12.1f s %,12.0f %,18.0f %12.0f s %12s %,10.0f%n", r.engine(), i.fromLaunch(), i.rate(), i.steadyRate(),
                    i.serviceCpu(), i.engineCpu() == null ? "-" : String.format("%.0f s", i.engineCpu()), i.indexBytes() / 1e6);
        }
        if (elastic != null) {
            System.out.printf("  %-14s %14s %12.2f %18.2f (Lucene/Elasticsearch; > 1: Lucene indexes faster)%n", "ratio", "",
                    lucene.indexing().rate() / elastic.indexing().rate(), lucene.indexing().steadyRate() / elastic.indexing().steadyRate());
        }
        System.out.printf("  aim: >= 5,000 posts/s; Lucene %s%s%n", lucene.indexing().rate() >= 5_000 ? "meets it" : "misses it",
                elastic == null ? "" : ", Elasticsearch " + (elastic.indexing().rate() >= 5_000 ? "meets it" : "misses it"));

        System.out.printf("%nquery latency, ms (anonymous, sequential, %,d measured after %,d warm-up of each kind)%n", QUERIES, WARMUP);
        if (elastic == null) {
            System.out.printf("  %-32s %9s %9s %12s%n", "query", "p50", "p99", "mean hits");
            lucene.latencies().forEach((label, l) ->
                    System.out.printf("  %-32s %9.2f %9.2f %,12.0f%n", label, l.p(0.5), l.p(0.99), l.meanTotal()));
            return;
        }
        System.out.printf("  %-32s %19s %19s %19s %21s %9s%n", "", "Lucene", "Elasticsearch", "Lucene/ES", "mean hits", "totals");
        System.out.printf("  %-32s %9s %9s %9s %9s %9s %9s %10s %10s %9s%n", "query", "p50", "p99", "p50", "p99", "p50", "p99",
                "Lucene", "ES", "differ");
        lucene.latencies().forEach((label, l) -> {
            Latency e = elastic.latencies().get(label);
            long differ = 0;
            for (int i = 0; i < l.totals().length; i++) {
                differ += l.totals()[i] != e.totals()[i] ? 1 : 0;
            }
            System.out.printf("  %-32s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %,10.0f %,10.0f %9d%n", label, l.p(0.5), l.p(0.99), e.p(0.5),
                    e.p(0.99), l.p(0.5) / e.p(0.5), l.p(0.99) / e.p(0.99), l.meanTotal(), e.meanTotal(), differ);
        });
        System.out.println("  (Lucene/ES < 1: Lucene answers faster; \"differ\": measured queries whose totals the engines disagree on)");
    }
}
