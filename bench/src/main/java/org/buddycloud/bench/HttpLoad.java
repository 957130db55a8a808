package org.buddycloud.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Closed-loop HTTP load: N workers each send the next request as soon as the last one answered. */
final class HttpLoad {

    record Result(String name, int concurrency, long requests, long errors, double perSecond, double p50Millis, double p99Millis) {
        String row() {
            return String.format("%-34s %4d %10.0f %9.2f %9.2f %8d", name, concurrency, perSecond, p50Millis, p99Millis, errors);
        }
    }

    static final String HEADER = String.format("%-34s %4s %10s %9s %9s %8s", "endpoint", "conc", "req/s", "p50 ms", "p99 ms", "errors");

    private final HttpClient http;

    HttpLoad() {
        this(HttpClient.Version.HTTP_2);
    }

    /** {@code HTTP_1_1}: one connection per worker, without the h2c upgrade the JDK client tries on plain HTTP by default. */
    HttpLoad(HttpClient.Version version) {
        this.http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Sends requests from {@code request.apply(workerIndex)} for {@code duration}; 2xx counts as success. */
    Result run(String name, int concurrency, Duration duration, IntFunction<HttpRequest> request) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        long deadline = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> results = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            results.add(workers.submit(() -> loop(request.apply(worker), deadline)));
        }
        List<Long> latencies = new ArrayList<>();
        long errors = 0;
        for (Future<long[]> future : results) {
            long[] samples = future.get();
            errors += samples[0];
            for (int i = 1; i < samples.length; i++) {
                latencies.add(samples[i]);
            }
        }
        workers.shutdown();
        Collections.sort(latencies);
        double seconds = duration.toNanos() / 1e9;
        return new Result(name, concurrency, latencies.size(), errors, latencies.size() / seconds,
                percentile(latencies, 0.50), percentile(latencies, 0.99));
    }

    private long[] loop(HttpRequest request, long deadline) throws Exception {
        List<Long> samples = new ArrayList<>();
        long errors = 0;
        while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                samples.add(System.nanoTime() - start);
            } else {
                errors++;
            }
        }
        long[] result = new long[samples.size() + 1];
        result[0] = errors;
        for (int i = 0; i < samples.size(); i++) {
            result[i + 1] = samples.get(i);
        }
        return result;
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    HttpClient client() {
        return http;
    }

    static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET().build();
    }
}
