package org.buddycloud.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.testsupport.ChannelServerClient.Login;

/**
 * The REST side of {@link FederationBenchmark}'s catch-up: one channel's posts written on its own server by several
 * threads, and a follower's copy of it on his server counted ({@code X-RSM-Count}) until it holds them all, then
 * walked page by page to check that count.
 */
final class FederationCatchUp {

    /** How often the follower's copy is counted while it catches up. */
    private static final Duration POLL = Duration.ofMillis(250);
    /** A progress line this often while the copy catches up, so that a slow catch-up is seen as it goes. */
    private static final Duration PROGRESS = Duration.ofSeconds(60);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String posts;

    /** For the posts node of {@code channel} (a bare JID). */
    FederationCatchUp(String channel) {
        this.posts = "/" + channel + "/content/posts";
    }

    /** How many posts the node holds at {@code baseUrl}, read as {@code reader} ({@code X-RSM-Count} of a page of one). */
    long count(String baseUrl, Login reader) throws IOException, InterruptedException {
        HttpResponse<String> page = get(baseUrl + posts + "?max=1", reader);
        return page.headers().firstValueAsLong("X-RSM-Count")
                .orElseThrow(() -> new IOException("no X-RSM-Count on GET " + posts + " at " + baseUrl));
    }

    /** Publishes {@code count} posts as {@code author} on {@code threads} threads, each post after its thread's previous answer. */
    void post(String baseUrl, Login author, int count, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> posters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                posters.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl + posts))
                                        .header("Authorization", "Bearer " + author.accessToken())
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"catch-up " + i
                                                + ": parting is such sweet sorrow\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != 201) {
                            throw new IOException("POST " + posts + " answered " + answer.statusCode() + ": " + answer.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> poster : posters) {
                poster.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** When the copy first grew and when it held {@code expected} posts, nanoseconds after {@code from} (-1: not by the limit). */
    record Caught(long held, long firstNanos, long allNanos) {
    }

    /**
     * Counts the copy at {@code baseUrl} every {@link #POLL} until it holds {@code expected} posts, at most {@code limit}
     * after {@code from} (a {@link System#nanoTime()}); {@code reader} gives the token to read with (asked again when the
     * server refuses the one it gave).
     */
    Caught awaitCopy(String baseUrl, Supplier<Login> reader, long before, long expected, long from, Duration limit)
            throws IOException, InterruptedException {
        Login login = reader.get();
        long first = -1;
        long held = before;
        long nextProgress = from + PROGRESS.toNanos();
        while (System.nanoTime() - from < limit.toNanos()) {
            try {
                held = count(baseUrl, login);
            } catch (Refused e) {
                login = reader.get();
                held = count(baseUrl, login);
            }
            long now = System.nanoTime();
            if (first < 0 && held > before) {
                first = now - from;
            }
            if (held >= expected) {
                return new Caught(held, first, now - from);
            }
            if (now >= nextProgress) {
                System.out.printf("  ... the copy holds %d of %d missed posts after %.0f s%n", held - before, expected - before,
                        (now - from) / 1e9);
                nextProgress += PROGRESS.toNanos();
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        return new Caught(held, first, -1);
    }

    /** The posts the node holds at {@code baseUrl}, walked newest to oldest in pages of 200: how many, and how many distinct. */
    record Walk(int posts, int distinct) {
    }

    Walk walk(String baseUrl, Login reader) throws IOException, InterruptedException {
        Set<String> ids = new HashSet<>();
        int seen = 0;
        String after = null;
        while (true) {
            HttpResponse<String> page = get(baseUrl + posts + "?max=200" + (after == null ? "" : "&after=" + after), reader);
            Matcher id = ID.matcher(page.body());
            int onPage = 0;
            while (id.find()) {
                ids.add(id.group(1));
                onPage++;
            }
            seen += onPage;
            after = page.headers().firstValue("X-RSM-Last").orElse(null);
            if (onPage < 200 || after == null) {
                return new Walk(seen, ids.size());
            }
        }
    }

    private HttpResponse<String> get(String url, Login reader) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + reader.accessToken())
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 401) {
            throw new Refused("GET " + url + " refused the token of " + reader.jid());
        }
        if (answer.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer;
    }

    /** The server did not accept the reader's token (401). */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }
}
