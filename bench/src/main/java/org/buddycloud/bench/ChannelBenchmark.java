package org.buddycloud.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.buddycloud.localstack.PostgresNode;

/**
 * Channel figures of the packaged channel server against a real PostgreSQL and Kafka, each beside
 * a bare Quarkus endpoint of the same process ({@code /q/health/live}) measured in the same run:
 * posts accepted per second over REST with 1, 10 and 100 writers; reading the newest 20 of a
 * channel holding 100,000 posts; recent items of a user following 500 channels.
 */
public final class ChannelBenchmark {

    private static final Duration ROUND = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    private static final int BIG_CHANNEL = Integer.getInteger("bench.posts", 100_000);
    private static final int FOLLOWED = Integer.getInteger("bench.followed", 500);

    private ChannelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchStack.run(Map.of("quarkus.datasource.jdbc.max-size", "40"), "512m", new ChannelBenchmark()::measure);
    }

    private final HttpLoad load = new HttpLoad();

    private void measure(String base, String jdbcUrl) throws Exception {
        Account writer = register(base, "writer");
        String posts = base + "/" + writer.jid + "/content/posts";
        HttpRequest post = HttpRequest.newBuilder(URI.create(posts)).header("Authorization", "Bearer " + writer.token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"Benchmarking the balcony, again and again.\"}")).build();
        HttpRequest live = HttpLoad.get(base + "/q/health/live");
        load.run("warm-up", 4, Duration.ofSeconds(5), w -> post);
        load.run("warm-up", 4, Duration.ofSeconds(3), w -> live);

        System.out.println(Machine.describe());
        System.out.println(HttpLoad.HEADER);
        for (int writers : new int[] {1, 10, 100}) {
            compare(load.run("GET /q/health/live (baseline)", writers, ROUND, w -> live),
                    load.run("POST /{channel}/content/posts", writers, ROUND, w -> post));
        }

        Account big = register(base, "big");
        long loaded = bulkLoad(jdbcUrl, "/user/" + big.jid + "/posts", big.jid, BIG_CHANNEL);
        HttpRequest newest = HttpLoad.get(base + "/" + big.jid + "/content/posts?max=20");
        HttpRequest deep = HttpLoad.get(base + "/" + big.jid + "/content/posts?max=20&after=bulk-" + (BIG_CHANNEL / 2));
        load.run("warm-up", 4, Duration.ofSeconds(3), w -> newest);
        System.out.printf("channel with %,d posts:%n", loaded);
        for (int readers : new int[] {1, 10}) {
            compare(load.run("GET /q/health/live (baseline)", readers, ROUND, w -> live),
                    load.run("GET content/posts?max=20", readers, ROUND, w -> newest));
            compare(load.run("GET /q/health/live (baseline)", readers, ROUND, w -> live),
                    load.run("GET content/posts?max=20&after=middle", readers, ROUND, w -> deep));
        }

        Account reader = register(base, "reader");
        followChannels(base, jdbcUrl, reader, FOLLOWED);
        String since = Instant.now().minus(Duration.ofDays(1)).toString();
        HttpRequest recent = sync(base, reader, "max=5&since=" + since);
        HttpRequest newestOnly = sync(base, reader, "max=1&since=" + since);
        HttpRequest summary = sync(base, reader, "max=5&summary=true&since=" + since);
        load.run("warm-up", 4, Duration.ofSeconds(3), w -> recent);
        System.out.printf("recent items of a user following %d channels (20 posts each):%n", FOLLOWED);
        for (int readers : new int[] {1, 4}) {
            compare(load.run("GET /q/health/live (baseline)", readers, ROUND, w -> live),
                    load.run("GET /sync max=5 (2,500 posts)", readers, ROUND, w -> recent));
            compare(load.run("GET /q/health/live (baseline)", readers, ROUND, w -> live),
                    load.run("GET /sync max=1 (500 posts)", readers, ROUND, w -> newestOnly));
            compare(load.run("GET /q/health/live (baseline)", readers, ROUND, w -> live),
                    load.run("GET /sync max=5 summary", readers, ROUND, w -> summary));
        }
    }

    private static HttpRequest sync(String base, Account reader, String query) {
        return HttpRequest.newBuilder(URI.create(base + "/sync?" + query)).header("Authorization", "Bearer " + reader.token).GET().build();
    }

    private static void compare(HttpLoad.Result baseline, HttpLoad.Result measured) {
        System.out.println(baseline.row());
        System.out.println(measured.row());
        System.out.printf("  ratio at %d: %.3f x baseline throughput, p50 %.1f x baseline%n", measured.concurrency(),
                measured.perSecond() / baseline.perSecond(), measured.p50Millis() / baseline.p50Millis());
    }

    private record Account(String jid, String token) {
    }

    private Account register(String base, String prefix) throws Exception {
        String user = prefix + System.nanoTime();
        load.client().send(HttpRequest.newBuilder(URI.create(base + "/account")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"bench-password\",\"email\":\""
                        + user + "@example.com\"}")).build(), HttpResponse.BodyHandlers.discarding());
        String credentials = java.util.Base64.getEncoder().encodeToString((user + ":bench-password").getBytes());
        String body = load.client().send(HttpRequest.newBuilder(URI.create(base + "/auth/token")).header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new Account(user + "@localhost", body.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1"));
    }

    /** Writes posts straight into the table (as the server would have stored them): loading 100,000 over HTTP would take the run. */
    private static long bulkLoad(String jdbcUrl, String node, String author, int count) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresNode.USER, ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO items (node, id, author, published, updated, title, content, content_type, media, entry) "
                    + "SELECT '" + node + "', 'bulk-' || g, '" + author + "', now() - g * interval '1 second', now() - g * interval '1 second', "
                    + "'Post', 'bulk post number ' || g, 'TEXT', '[]', "
                    + "'<entry xmlns=\"http://www.w3.org/2005/Atom\"><id>tag:localhost," + node + ",bulk-' || g || '</id><title>Post</title>"
                    + "<content type=\"text\">bulk post number ' || g || '</content><author><name>" + author + "</name></author></entry>' "
                    + "FROM generate_series(1, " + count + ") g");
            s.execute("UPDATE nodes SET item_count = item_count + " + count + ", thread_count = thread_count + " + count
                    + " WHERE node = '" + node + "'");
            s.execute("ANALYZE items");
        }
        return count;
    }

    /** 500 real accounts (so 500 personal channels), each followed by the reader over REST, each with 20 posts. */
    private void followChannels(String base, String jdbcUrl, Account reader, int channels) throws Exception {
        List<String> authors = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            Account author = register(base, "author" + i + "x");
            authors.add(author.jid);
            load.client().send(HttpRequest.newBuilder(URI.create(base + "/subscribed")).header("Authorization", "Bearer " + reader.token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"" + author.jid + "/posts\":\"subscribed\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresNode.USER, "");
             PreparedStatement insert = c.prepareStatement("INSERT INTO items (node, id, author, published, updated, title, content, "
                     + "content_type, media, entry) SELECT ?, 'p' || g, ?, now() - g * interval '1 minute', now() - g * interval '1 minute', "
                     + "'Post', 'post ' || g, 'TEXT', '[]', '<entry xmlns=\"http://www.w3.org/2005/Atom\"/>' FROM generate_series(1, 20) g")) {
            for (String author : authors) {
                insert.setString(1, "/user/" + author + "/posts");
                insert.setString(2, author);
                insert.addBatch();
            }
            insert.executeBatch();
            c.createStatement().execute("ANALYZE");
        }
    }
}
