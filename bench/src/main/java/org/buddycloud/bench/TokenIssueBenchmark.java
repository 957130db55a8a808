package org.buddycloud.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Token issue rate of the packaged channel server (HTTP Basic login, SCRAM-SHA-256 check,
 * session row, RS256 signature) beside a bare Quarkus endpoint of the same process
 * ({@code /q/health/live}) and an authenticated call that only verifies a token ({@code /whoami}),
 * all measured in the same run against a real PostgreSQL and Kafka.
 */
public final class TokenIssueBenchmark {

    private static final Duration ROUND = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    private static final int[] CONCURRENCY = {1, 4, 16};

    private TokenIssueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchStack.run(Map.of("buddycloud.login.max-failures-per-address", "1000000"), "256m", (base, jdbc) -> measure(base));
    }

    private static void measure(String base) throws Exception {
        HttpLoad load = new HttpLoad();
        int accounts = CONCURRENCY[CONCURRENCY.length - 1];
        List<String> basic = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            String user = "bench" + i + "-" + System.nanoTime();
            String body = "{\"username\":\"" + user + "\",\"password\":\"bench-password\",\"email\":\"" + user + "@example.com\"}";
            load.client().send(HttpRequest.newBuilder(URI.create(base + "/account")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            String credentials = "Basic " + Base64.getEncoder().encodeToString((user + ":bench-password").getBytes(StandardCharsets.UTF_8));
            basic.add(credentials);
            String response = load.client().send(login(base, credentials), HttpResponse.BodyHandlers.ofString()).body();
            tokens.add(response.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1"));
        }
        // warm up the JIT of the server on every path before measuring
        load.run("warm-up", 4, Duration.ofSeconds(5), w -> login(base, basic.get(w)));
        load.run("warm-up", 4, Duration.ofSeconds(3), w -> HttpLoad.get(base + "/q/health/live"));
        load.run("warm-up", 4, Duration.ofSeconds(3), w -> whoami(base, tokens.get(w)));

        System.out.println(Machine.describe());
        System.out.println(HttpLoad.HEADER);
        for (int concurrency : CONCURRENCY) {
            HttpLoad.Result baseline = load.run("GET /q/health/live (baseline)", concurrency, ROUND, w -> HttpLoad.get(base + "/q/health/live"));
            HttpLoad.Result verify = load.run("GET /whoami (token check)", concurrency, ROUND, w -> whoami(base, tokens.get(w)));
            HttpLoad.Result issue = load.run("POST /auth/token (token issue)", concurrency, ROUND, w -> login(base, basic.get(w)));
            System.out.println(baseline.row());
            System.out.println(verify.row());
            System.out.println(issue.row());
            System.out.printf("  ratios at %d: token issue %.3f x baseline, token check %.3f x baseline%n",
                    concurrency, issue.perSecond() / baseline.perSecond(), verify.perSecond() / baseline.perSecond());
        }
    }

    private static HttpRequest login(String base, String basicCredentials) {
        return HttpRequest.newBuilder(URI.create(base + "/auth/token")).header("Authorization", basicCredentials)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private static HttpRequest whoami(String base, String token) {
        return HttpRequest.newBuilder(URI.create(base + "/whoami")).header("Authorization", "Bearer " + token).GET().build();
    }
}
