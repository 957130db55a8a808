package org.buddycloud.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peaks of a JVM service's memory while something runs: every 200 ms its resident set ({@code VmRSS} of
 * {@code /proc/<pid>/status}) and its heap in use, all of it and the old generation alone ({@code jvm_memory_used_bytes}
 * of {@code /q/metrics}); and the kernel's own peak of the resident set ({@code VmHWM}), reset when sampling starts
 * (writing 5 to {@code /proc/<pid>/clear_refs}) so that it is this stretch's. A sampled peak may miss a spike shorter
 * than 200 ms; VmHWM misses none.
 */
final class MemoryPeaks implements AutoCloseable {

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*id=\"([^\"]+)\"[^}]*}\\s+(\\S+)",
            Pattern.MULTILINE);
    private static final Pattern HEAP_MAX = Pattern.compile("^jvm_memory_max_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+(\\S+)",
            Pattern.MULTILINE);

    /**
     * What was sampled: peaks and the resident set and heap at the start, in bytes ({@code -1}: not readable here), and
     * when the heap peaks were seen (seconds after the start).
     */
    record Peaks(long residentAtStart, long heapAtStart, long resident, long residentHighWater, long heap, long oldGeneration,
                 long heapMax, double heapPeakAt, double oldGenerationPeakAt, int samples, boolean highWaterReset) {
    }

    private final long pid;
    private final String metricsUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread sampler;
    private final boolean highWaterReset;
    private volatile boolean running = true;
    private long residentAtStart = -1;
    private long heapAtStart = -1;
    private long resident = -1;
    private long heap = -1;
    private long oldGeneration = -1;
    private long heapMax = -1;
    private final long started = System.nanoTime();
    private double heapPeakAt;
    private double oldGenerationPeakAt;
    private int samples;

    private MemoryPeaks(long pid, String baseUrl) {
        this.pid = pid;
        this.metricsUrl = baseUrl + "/q/metrics";
        this.highWaterReset = resetHighWater(pid);
        sampleOnce();
        residentAtStart = resident;
        heapAtStart = heap;
        sampler = new Thread(this::sample, "memory-peaks-" + pid);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts sampling the process {@code pid}, a Quarkus service at {@code baseUrl}. */
    static MemoryPeaks start(long pid, String baseUrl) {
        return new MemoryPeaks(pid, baseUrl);
    }

    /** Stops sampling and answers the peaks. */
    Peaks stop() {
        running = false;
        try {
            sampler.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampleOnce();
        return new Peaks(residentAtStart, heapAtStart, resident, statusKib("VmHWM") * 1024, heap, oldGeneration, heapMax,
                heapPeakAt, oldGenerationPeakAt, samples, highWaterReset);
    }

    @Override
    public void close() {
        running = false;
    }

    private void sample() {
        while (running) {
            long next = System.nanoTime() + 200_000_000L;
            sampleOnce();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
    }

    private synchronized void sampleOnce() {
        samples++;
        resident = Math.max(resident, statusKib("VmRSS") * 1024);
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long used = 0;
            long old = 0;
            Matcher pool = HEAP.matcher(metrics);
            while (pool.find()) {
                long bytes = (long) Double.parseDouble(pool.group(2));
                used += bytes;
                if (pool.group(1).contains("Tenured") || pool.group(1).contains("Old")) {
                    old += bytes;
                }
            }
            double at = (System.nanoTime() - started) / 1e9;
            if (used > heap) {
                heap = used;
                heapPeakAt = at;
            }
            if (old > oldGeneration) {
                oldGeneration = old;
                oldGenerationPeakAt = at;
            }
            if (heapMax < 0) {
                long max = 0;
                Matcher limit = HEAP_MAX.matcher(metrics);
                while (limit.find()) {
                    max += Math.max(0, (long) Double.parseDouble(limit.group(1)));
                }
                heapMax = max;
            }
        } catch (IOException e) {
            // a sample missed (the server busy past 2 s): the next one counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private long statusKib(String field) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith(field + ":"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Resets the kernel's peak resident set of the process (Linux 4.0+; a process of the same user). */
    private static boolean resetHighWater(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
