package org.buddycloud.cluster;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.buddycloud.testsupport.ChannelServerClient.Login;

/**
 * Publishes posts to the author's channel through one replica's REST API at a steady rate, in the background, and
 * keeps the id of every post whose request was acknowledged (2xx): those the server promised to keep. A post whose
 * request failed may or may not have been kept (a crash between commit and answer); it is only counted.
 */
final class Poster implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "poster");
        thread.setDaemon(true);
        return thread;
    });
    private final URI posts;
    private final Login author;
    private final List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    private Poster(Cluster.Replica replica, Login author) {
        this.posts = URI.create(replica.baseUrl() + "/" + author.jid() + "/content/posts");
        this.author = author;
    }

    /** Starts posting {@code perSecond} posts a second (one request at a time) until {@link #stop()}. */
    static Poster start(Cluster.Replica replica, Login author, int perSecond) {
        Poster poster = new Poster(replica, author);
        poster.schedule.scheduleAtFixedRate(poster::postOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        return poster;
    }

    /** Stops posting and returns once the request under way, if any, is answered or failed. */
    void stop() {
        schedule.shutdown();
        try {
            if (!schedule.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a post request did not end within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The ids of the acknowledged posts, in the order they were acknowledged. */
    List<String> acknowledged() {
        return acknowledged.stream().map(Acknowledged::id).toList();
    }

    /** The ids of the posts acknowledged before {@code instant}. */
    List<String> acknowledgedBefore(Instant instant) {
        return acknowledged.stream().filter(a -> a.at().isBefore(instant)).map(Acknowledged::id).toList();
    }

    int attempts() {
        return attempts.get();
    }

    int failures() {
        return failures.get();
    }

    @Override
    public void close() {
        stop();
    }

    private void postOne() {
        int n = attempts.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(posts).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + author.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"post " + n + "\"}")).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                acknowledged.add(new Acknowledged(JsonPath.from(response.body()).getString("id"), Instant.now()));
            } else {
                failures.incrementAndGet();
            }
        } catch (IOException e) {
            // the replica is gone or did not answer in time: not acknowledged
            failures.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Acknowledged(String id, Instant at) {
    }
}
