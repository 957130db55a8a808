package org.buddycloud.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.LockSupportPause;
import org.buddycloud.testsupport.TestDirectories;

/**
 * Portable data at the size of a busy account, through the packaged channel server and media server (real Kafka,
 * PostgreSQL and S3 endpoint): one account whose channel holds {@value #DEFAULT_POSTS} posts (a fifth of them replies,
 * most by its followers; 100-1,000 characters each, written over JDBC as the server writes them, {@link PostCorpus})
 * and {@value #DEFAULT_MEDIA_MB} MiB of files (uploaded through the media server's REST API).
 * <ul>
 *   <li>Export: {@code POST /account/exports} until {@code ready} (s), the archive's size and MB/s; the download of
 *   the archive through its link (MB/s, checked against the export's SHA-256).</li>
 *   <li>Import into a fresh account: the upload of the archive to {@code POST /account/imports} (MB/s), the check
 *   before its 202, then until {@code done} (s, posts/s, MB/s); the report must say every post and file restored.
 *   Then the same archive again: nothing restored twice, and how long finding that out takes.</li>
 *   <li>Memory of the channel server (a small heap, {@code -Dbench.portability.heap}, default 512m) during each
 *   stretch: peaks of its resident set, of its kernel high-water mark and of its heap in use, every 200 ms
 *   ({@link MemoryPeaks}).</li>
 *   <li>Baselines of the same run: the same posts read through the plain REST API (pages of 200, posts/s), the same
 *   files downloaded straight from the media server and uploaded to it (MB/s), the posts' JDBC seeding rate; the
 *   ratios of each portability figure to its baseline.</li>
 * </ul>
 * MB = 10^6 bytes, MiB = 2^20 bytes.
 */
public final class PortabilityBenchmark {

    private static final int DEFAULT_POSTS = 100_000;
    private static final int DEFAULT_MEDIA_MB = 1024;
    private static final int POSTS = Integer.getInteger("bench.portability.posts", DEFAULT_POSTS);
    private static final int MEDIA_MIB = Integer.getInteger("bench.portability.media-mb", DEFAULT_MEDIA_MB);
    private static final int FILE_MIB = Integer.getInteger("bench.portability.file-mb", 16);
    private static final double REPLY_SHARE = Double.parseDouble(System.getProperty("bench.portability.reply-share", "0.2"));
    private static final int FOLLOWERS = Integer.getInteger("bench.portability.followers", 20);
    private static final String HEAP = System.getProperty("bench.portability.heap", "512m");
    private static final String MEDIA_HEAP = System.getProperty("bench.portability.media-heap", "512m");
    private static final long SEED = Long.getLong("bench.portability.seed", 20);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a status request may go unanswered: longer, the server is taken to be stuck (the run fails). */
    private static final Duration ANSWER = Duration.ofSeconds(30);
    private static final boolean IMPORT = Boolean.parseBoolean(System.getProperty("bench.portability.import", "true"));
    private static final Duration JOB_DEADLINE = Duration.ofMinutes(Long.getLong("bench.portability.deadline-minutes", 20));

    private final PortabilityStack stack;
    private final ChannelServerClient client;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> memoryRows = new ArrayList<>();
    private long heapLimit;

    private PortabilityBenchmark(PortabilityStack stack) {
        this.stack = stack;
        this.client = new ChannelServerClient(stack.channelsUrl());
    }

    public static void main(String[] args) throws Exception {
        PortabilityStack.run(HEAP, MEDIA_HEAP, stack -> new PortabilityBenchmark(stack).measure());
    }

    private void measure() throws Exception {
        System.out.println(Machine.describe() + "; load average " + loadAverage() + " at the start");
        System.out.printf("channel server -Xmx%s, media server -Xmx%s (deploy/jvm.options: serial GC); one client, one request at a"
                + " time; MB = 10^6 bytes, MiB = 2^20 bytes; times from the client's clock; job states polled every %d ms%n",
                HEAP, MEDIA_HEAP, POLL.toMillis());

        Login owner = client.newAccount("owner");
        client.configure(owner, owner.jid(), Map.of("default_affiliation", "publisher"));
        List<String> followers = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) {
            Login follower = client.newAccount("follower" + i);
            client.follow(follower, owner.jid());
            followers.add(follower.jid());
        }
        awaitMediaServerKnows(owner.jid());

        // the files first, so that posts can show them
        Uploaded files = uploadFiles(owner);
        System.out.printf("seeded files: %d of %d MiB (%,d MiB, random bytes) uploaded through POST /{channel} in %.1f s (%.1f MB/s)%n",
                files.ids().size(), FILE_MIB, files.bytes() >> 20, files.seconds(), files.bytes() / 1e6 / files.seconds());
        checkCorpusAgainstServer(owner, files.ids().get(0));
        List<PostCorpus.MediaRef> shown = files.ids().stream().map(id -> new PostCorpus.MediaRef(owner.jid(), id)).toList();
        PostCorpus.Seeded seeded = PostCorpus.seed(stack.channelsJdbcUrl(), owner.jid(), followers, shown, POSTS, REPLY_SHARE, SEED);
        System.out.printf("seeded posts: %,d (%,d top-level by the owner, %,d replies by %d followers and the owner; %d show a file;"
                        + " content 100-1,000 chars, mean %.0f) written over JDBC in %.1f s (%,.0f posts/s), then VACUUM ANALYZE %.1f s%n",
                seeded.posts(), seeded.topLevel(), seeded.replies(), FOLLOWERS, shown.size(), seeded.contentChars() / (double) seeded.posts(),
                seeded.insertSeconds(), seeded.posts() / seeded.insertSeconds(), seeded.analyzeSeconds());

        Login reader = fresh(owner);
        Read read = sampled("baseline: REST read of every post", () -> readAllPosts(reader));
        System.out.printf("baseline: GET /{channel}/content/posts?max=200, page after page: %,d posts in %.1f s (%,.0f posts/s, %.1f MB of"
                + " JSON)%n", read.posts(), read.seconds(), read.posts() / read.seconds(), read.bytes() / 1e6);
        if (read.posts() != POSTS) {
            throw new IllegalStateException("the REST API gave " + read.posts() + " posts of " + POSTS);
        }
        Transfer direct = sampled("baseline: files straight from the media server", () -> downloadFiles(owner.jid(), files.ids()));
        System.out.printf("baseline: GET /{channel}/{id} from the media server, one after another: %,d MiB in %.1f s (%.1f MB/s)%n",
                direct.bytes() >> 20, direct.seconds(), direct.bytes() / 1e6 / direct.seconds());
        Transfer deflated = ArchiveCosts.deflate(FILE_MIB, SEED);
        System.out.printf("baseline: DEFLATE (java.util.zip at its default level, as ZipOutputStream) of %,d MiB of such random bytes,"
                + " one thread of the benchmark's JVM: %.1f s (%.1f MB/s)%n", deflated.bytes() >> 20, deflated.seconds(), mbs(deflated));
        Transfer rows = ArchiveCosts.chunkRows(stack.channelsJdbcUrl(), files.bytes());
        System.out.printf("baseline: %,d MiB as 1 MiB bytea rows into a table shaped like archive_chunks, an autocommitted INSERT each"
                + " (as ExportJobs.chunks does), over JDBC: %.1f s (%.1f MB/s)%n", rows.bytes() >> 20, rows.seconds(), mbs(rows));

        Export export = export(fresh(owner));
        System.out.printf("export: POST /account/exports -> ready in %.1f s; archive %,d bytes (%,.0f MiB), %.1f MB/s of archive;"
                        + " %,d items%n", export.seconds(), export.size(), export.size() / 1048576.0, export.size() / 1e6 / export.seconds(),
                export.items());
        if (Double.isNaN(export.postsDoneAt())) {
            System.out.printf("  of which: queued until a scheduler took it ~%.1f s; no progress report between the posts and the end"
                    + " (too few files after them to split the time)%n", export.runningAt());
        } else {
            System.out.printf("  of which: queued until a scheduler took it ~%.1f s, the posts written in ~%.1f s (%,.0f posts/s), the rest"
                            + " (what the account wrote elsewhere, the files, the manifest) ~%.1f s (%.1f MB/s of files)%n",
                    export.runningAt(), export.postsDoneAt() - export.runningAt(), export.postsPerSecond(), export.filesSeconds(),
                    files.bytes() / 1e6 / export.filesSeconds());
        }
        Path archiveDir = TestDirectories.create("bench-portability-");
        try {
            Path archive = archiveDir.resolve("archive.zip");
            Transfer download = sampled("archive download", () -> download(export, archive));
            System.out.printf("download: GET %s: %,d bytes in %.1f s (%.1f MB/s), SHA-256 as the export said%n",
                    "/account/exports/{id}/archive?key=…", download.bytes(), download.seconds(), mbs(download));
            printArchiveContents(archive);
            Import first = null;
            Import again = null;
            if (IMPORT) {
                Login target = client.newAccount("imported");
                awaitMediaServerKnows(target.jid());
                first = importArchive(target, archive, "import");
                printImport("import", first, files.ids().size(), false);
                checkReport(first.report(), POSTS, files.ids().size(), false);
                long count = postCount(fresh(target), target.jid());
                if (count != POSTS) {
                    throw new IllegalStateException("the imported channel holds " + count + " posts, not " + POSTS);
                }
                System.out.printf("import report: %s; the new channel holds %,d posts (X-RSM-Count)%n", summary(first.report()), count);
                again = importArchive(fresh(target), archive, "second import");
                printImport("second import", again, files.ids().size(), true);
                checkReport(again.report(), POSTS, files.ids().size(), true);
                System.out.printf("second import report: %s%n", summary(again.report()));
            }

            System.out.printf("%nchannel server memory, sampled every %d ms (-Xmx%s; the JVM reports a heap limit of %,d MiB); RSS = VmRSS,"
                    + " HWM = VmHWM reset at the start of the stretch, old = old generation:%n", POLL.toMillis(), HEAP, heapLimit >> 20);
            System.out.printf("%-48s %7s %9s %9s %9s %9s %9s %10s %10s%n", "stretch", "s", "RSS start", "RSS peak", "HWM",
                    "heap start", "heap peak", "(at s)", "old peak (at s)");
            memoryRows.forEach(System.out::println);

            double exportMbs = export.size() / 1e6 / export.seconds();
            double uploadMbs = files.bytes() / 1e6 / files.seconds();
            System.out.printf("%nratios to the baselines of this run:%n");
            ratio("export MB/s of archive / file download MB/s straight from the media server", exportMbs, mbs(direct), "%.1f");
            ratio("export posts/s (~, while it wrote the posts) / REST read posts/s", export.postsPerSecond(), read.posts() / read.seconds(),
                    "%,.0f");
            ratio("export seconds / (REST read + file download) seconds", export.seconds(), read.seconds() + direct.seconds(), "%.1f");
            ratio("export seconds of the files (~) / (their download from the media server + DEFLATE + bytea rows) seconds",
                    export.filesSeconds(), direct.seconds() + deflated.seconds() * files.bytes() / deflated.bytes() + rows.seconds(), "%.1f");
            ratio("archive download MB/s / file download MB/s from the media server", mbs(download), mbs(direct), "%.1f");
            if (first != null) {
                ratio("archive upload MB/s / file upload MB/s to the media server", first.uploadMbs(), uploadMbs, "%.1f");
                ratio("import files ~MB/s / file upload MB/s to the media server", first.filesMbs(files.bytes()), uploadMbs, "%.1f");
                ratio("import posts/s (~, after the files) / JDBC seeding posts/s", first.postsPerSecond(),
                        seeded.posts() / seeded.insertSeconds(), "%,.0f");
                ratio("import seconds (upload to done) / export seconds", first.totalSeconds(), export.seconds(), "%.1f");
                ratio("second import seconds / first import seconds", again.totalSeconds(), first.totalSeconds(), "%.1f");
            }
            printServerLog();
            System.out.println("load average " + loadAverage() + " at the end");
        } finally {
            TestDirectories.delete(archiveDir);
        }
    }

    private static void ratio(String what, double measured, double baseline, String format) {
        System.out.printf("  %s: %.3f (" + format + " / " + format + ")%n", what, measured / baseline, measured, baseline);
    }

    private static double mbs(Transfer transfer) {
        return transfer.bytes() / 1e6 / transfer.seconds();
    }

    // ---- seeding and baselines

    private record Uploaded(List<String> ids, long bytes, double seconds) {
    }

    /** {@code media-mb} MiB of random bytes in files of {@code file-mb} MiB, each different, one upload at a time. */
    private Uploaded uploadFiles(Login owner) throws Exception {
        byte[] content = new byte[FILE_MIB << 20];
        new Random(SEED).nextBytes(content);
        int count = Math.max(1, MEDIA_MIB / FILE_MIB);
        List<String> ids = new ArrayList<>();
        long began = System.nanoTime();
        for (int i = 0; i < count; i++) {
            content[0] = (byte) i;
            content[1] = (byte) (i >> 8);
            ids.add(upload(fresh(owner), content, "file-" + i + ".bin"));
        }
        return new Uploaded(ids, (long) count * content.length, (System.nanoTime() - began) / 1e9);
    }

    private String upload(Login owner, byte[] content, String fileName) throws Exception {
        String boundary = "bench" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.mediaUrl() + "/" + owner.jid()))
                .header("Authorization", "Bearer " + owner.accessToken()).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, content, tail))).build(), HttpResponse.BodyHandlers.ofString());
        return expect(response, 201).get("id").asText();
    }

    /**
     * A post and a reply published over REST in a channel of their own, each row compared with the row the corpus would
     * write for it: the seeded history is what the server would have stored.
     */
    private void checkCorpusAgainstServer(Login owner, String fileId) throws Exception {
        Login probe = client.newAccount("probe");
        client.configure(probe, probe.jid(), Map.of("default_affiliation", "publisher"));
        Login follower = client.newAccount("probefollower");
        client.follow(follower, probe.jid());
        Random random = new Random(SEED);
        String post = publish(probe, probe.jid(), Map.of("content", PostCorpus.content(random),
                "media", List.of(Map.of("id", fileId, "channel", owner.jid()))));
        publish(follower, probe.jid(), Map.of("content", PostCorpus.content(random), "replyTo", post));
        List<String> differences = PostCorpus.checkAgainstServer(stack.channelsJdbcUrl(), "/user/" + probe.jid() + "/posts");
        if (!differences.isEmpty()) {
            throw new IllegalStateException("the corpus does not write posts as the server does:\n" + String.join("\n", differences));
        }
        System.out.println("corpus check: a post showing a file and a reply published over REST are stored exactly as the corpus"
                + " writes them (entry and columns)");
    }

    private String publish(Login author, String channel, Map<String, Object> post) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.channelsUrl() + "/" + channel + "/content/posts"))
                .header("Authorization", "Bearer " + author.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(post))).build(), HttpResponse.BodyHandlers.ofString());
        return expect(response, 201).get("id").asText();
    }

    private record Read(long posts, long bytes, double seconds) {
    }

    private Read readAllPosts(Login reader) throws Exception {
        long posts = 0;
        long bytes = 0;
        String after = null;
        long began = System.nanoTime();
        while (true) {
            String url = stack.channelsUrl() + "/" + reader.jid() + "/content/posts?max=200" + (after == null ? "" : "&after=" + encode(after));
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                    .header("Authorization", "Bearer " + reader.accessToken()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " reading " + url);
            }
            bytes += response.body().length;
            int page = json.readTree(response.body()).size();
            posts += page;
            after = response.headers().firstValue("X-RSM-Last").orElse(null);
            if (page < 200 || after == null) {
                return new Read(posts, bytes, (System.nanoTime() - began) / 1e9);
            }
        }
    }

    /** Bytes moved (or worked through) and how long it took. */
    record Transfer(long bytes, double seconds) {
    }

    private Transfer downloadFiles(String channel, List<String> ids) throws Exception {
        long bytes = 0;
        long began = System.nanoTime();
        for (String id : ids) {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(stack.mediaUrl() + "/" + channel + "/" + id))
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                long read = in.transferTo(OutputStream.nullOutputStream());
                if (response.statusCode() != 200 || read != (long) FILE_MIB << 20) {
                    throw new IllegalStateException("HTTP " + response.statusCode() + ", " + read + " bytes of file " + id);
                }
                bytes += read;
            }
        }
        return new Transfer(bytes, (System.nanoTime() - began) / 1e9);
    }

    // ---- export

    private record Export(String id, String downloadUrl, String sha256, long size, long items, double seconds, double runningAt,
                          double postsDoneAt) {

        double postsPerSecond() {
            return POSTS / (postsDoneAt - runningAt);
        }

        double filesSeconds() {
            return seconds - postsDoneAt;
        }
    }

    /**
     * Asks for the export and polls it until ready: it runs once a replica's scheduler takes it up (every 2 s by default,
     * {@code buddycloud.portability.poll-interval}), and its posts were written when {@code done} first reached the first
     * {@code total} (the job reports its progress every second, when it advances: not seen, NaN).
     */
    private Export export(Login owner) throws Exception {
        return sampled("export (POST -> ready)", () -> {
            long began = System.nanoTime();
            JsonNode started = expect(http.send(authorized(owner, "/account/exports").timeout(ANSWER)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()), 202);
            String id = started.get("id").asText();
            long postsTotal = 0;
            double runningAt = -1;
            double postsDoneAt = -1;
            long deadline = began + JOB_DEADLINE.toNanos();
            Login caller = owner;
            while (true) {
                caller = fresh(caller);
                JsonNode state = expect(http.send(authorized(caller, "/account/exports/" + id).timeout(ANSWER).GET().build(),
                        HttpResponse.BodyHandlers.ofString()), 200);
                double at = (System.nanoTime() - began) / 1e9;
                if (runningAt < 0 && !"queued".equals(state.path("state").asText())) {
                    runningAt = at;
                }
                if (postsTotal == 0) {
                    postsTotal = state.path("total").asLong();
                }
                if (postsDoneAt < 0 && postsTotal > 0 && state.path("done").asLong() >= postsTotal) {
                    postsDoneAt = at;
                }
                switch (state.path("state").asText()) {
                    case "ready" -> {
                        return new Export(id, state.get("downloadUrl").asText(), state.get("sha256").asText(), state.get("size").asLong(),
                                state.path("done").asLong(), at, Math.max(0, runningAt), postsDoneAt < 0 ? Double.NaN : postsDoneAt);
                    }
                    case "failed" -> throw new IllegalStateException("the export failed: " + state);
                    default -> {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("the export was not ready within " + JOB_DEADLINE + ": " + state);
                        }
                        LockSupportPause.pause(POLL);
                    }
                }
            }
        });
    }

    private Transfer download(Export export, Path file) throws Exception {
        long began = System.nanoTime();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(stack.channelsUrl() + export.downloadUrl()))
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long bytes;
        try (InputStream in = response.body(); OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            bytes = in.transferTo(out);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        String sha256 = HexFormat.of().formatHex(digest.digest());
        if (response.statusCode() != 200 || bytes != export.size() || !sha256.equals(export.sha256())) {
            throw new IllegalStateException("the archive's download gave HTTP " + response.statusCode() + ", " + bytes + " bytes of "
                    + export.size() + ", SHA-256 " + sha256 + " where the export said " + export.sha256());
        }
        return new Transfer(bytes, seconds);
    }

    /** What the archive holds, by kind: its files and their bytes, stored and compressed. */
    private static void printArchiveContents(Path archive) throws IOException {
        long[] posts = new long[2];
        long[] media = new long[2];
        long[] other = new long[2];
        int[] counts = new int[3];
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(archive.toFile())) {
            zip.stream().forEach(entry -> {
                int kind = entry.getName().endsWith(".atom") ? 0 : entry.getName().startsWith("media/") ? 1 : 2;
                long[] sums = kind == 0 ? posts : kind == 1 ? media : other;
                sums[0] += entry.getSize();
                sums[1] += entry.getCompressedSize();
                counts[kind]++;
            });
        }
        System.out.printf("archive: %d Atom feeds %,d bytes (%,d compressed), %d files %,d bytes (%,d compressed), %d other parts"
                + " %,d bytes (%,d compressed)%n", counts[0], posts[0], posts[1], counts[1], media[0], media[1], counts[2], other[0], other[1]);
    }

    // ---- import

    private record Import(long bytes, double uploadSeconds, double checkSeconds, double restoreSeconds, double filesDoneAt,
                          double totalSeconds, JsonNode report) {

        double uploadMbs() {
            return bytes / 1e6 / uploadSeconds;
        }

        double filesMbs(long fileBytes) {
            return fileBytes / 1e6 / filesDoneAt;
        }

        double postsPerSecond() {
            return POSTS / (restoreSeconds - filesDoneAt);
        }
    }

    /**
     * Uploads the archive (its body sent: the upload; then the server proves it whole before it answers 202: the check)
     * and polls the import until done; the files were restored when {@code done} first reached their count (they come first).
     */
    private Import importArchive(Login target, Path archive, String stretch) throws Exception {
        return sampled(stretch + " (upload -> done)", () -> {
            long size = Files.size(archive);
            long[] sentAt = {0};
            long began = System.nanoTime();
            InputStream body = new FilterInputStream(Files.newInputStream(archive)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n < 0 && sentAt[0] == 0) {
                        sentAt[0] = System.nanoTime();
                    }
                    return n;
                }
            };
            HttpResponse<String> response = http.send(authorized(target, "/account/imports").header("Content-Type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long accepted = System.nanoTime();
            String id = expect(response, 202).get("id").asText();
            long sent = sentAt[0] == 0 ? accepted : sentAt[0];
            double filesDoneAt = -1;
            long deadline = accepted + JOB_DEADLINE.toNanos();
            Login caller = target;
            int files = Math.max(1, MEDIA_MIB / FILE_MIB);
            while (true) {
                caller = fresh(caller);
                JsonNode state = expect(http.send(authorized(caller, "/account/imports/" + id).timeout(ANSWER).GET().build(),
                        HttpResponse.BodyHandlers.ofString()), 200);
                double at = (System.nanoTime() - accepted) / 1e9;
                if (filesDoneAt < 0 && state.path("done").asLong() >= files) {
                    filesDoneAt = at;
                }
                switch (state.path("state").asText()) {
                    case "done" -> {
                        return new Import(size, (sent - began) / 1e9, (accepted - sent) / 1e9, at, filesDoneAt < 0 ? 0 : filesDoneAt,
                                (System.nanoTime() - began) / 1e9, state.get("report"));
                    }
                    case "failed" -> throw new IllegalStateException("the import failed: " + state);
                    default -> {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("the import was not done within " + JOB_DEADLINE + ": " + state);
                        }
                        LockSupportPause.pause(POLL);
                    }
                }
            }
        });
    }

    private static void printImport(String name, Import result, int files, boolean again) {
        System.out.printf("%s: upload of %,d bytes in %.1f s (%.1f MB/s); checked before the 202 in %.1f s; 202 -> done in %.1f s"
                        + " (%,.0f posts/s, %.1f MB/s of archive); upload -> done %.1f s%n", name, result.bytes(), result.uploadSeconds(),
                result.uploadMbs(), result.checkSeconds(), result.restoreSeconds(), POSTS / result.restoreSeconds(),
                result.bytes() / 1e6 / result.restoreSeconds(), result.totalSeconds());
        if (!again) {
            System.out.printf("  of which: the %d files restored after ~%.1f s, then the posts in ~%.1f s (%,.0f posts/s)%n", files,
                    result.filesDoneAt(), result.restoreSeconds() - result.filesDoneAt(), result.postsPerSecond());
        }
    }

    private static void checkReport(JsonNode report, int posts, int files, boolean again) {
        int restored = report.path("posts").asInt();
        int there = report.path("postsThereAlready").asInt();
        int media = report.path("media").asInt();
        int mediaThere = report.path("mediaThereAlready").asInt();
        boolean whole = again ? restored == 0 && there == posts && media == 0 && mediaThere == files
                : restored == posts && there == 0 && media == files;
        boolean nothingLeftOut = report.path("postsByOthersLeftOut").asInt() == 0 && report.path("repliesWithoutTheirPost").asInt() == 0
                && report.path("postsRefused").asInt() == 0;
        if (!whole || !nothingLeftOut) {
            throw new IllegalStateException("the " + (again ? "second " : "") + "import's report is not what the archive holds ("
                    + posts + " posts, " + files + " files): " + report);
        }
    }

    private static String summary(JsonNode report) {
        StringBuilder text = new StringBuilder();
        for (String field : List.of("posts", "postsThereAlready", "media", "mediaThereAlready", "members", "channels", "postsByOthersLeftOut",
                "repliesWithoutTheirPost", "postsRefused", "authenticity")) {
            text.append(text.length() == 0 ? "" : ", ").append(field).append(' ').append(report.path(field).asText());
        }
        return text.append(", moved ").append(report.path("movedChannels")).append(", notes ").append(report.path("notes")).toString();
    }

    private long postCount(Login reader, String channel) throws Exception {
        HttpResponse<String> response = http.send(authorized(reader, "/" + channel + "/content/posts?max=1").header("Accept", "application/json")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        expect(response, 200);
        return Long.parseLong(response.headers().firstValue("X-RSM-Count").orElse("-1"));
    }

    // ---- memory, plumbing

    private interface Stretch<T> {
        T run() throws Exception;
    }

    /** Runs {@code stretch} while sampling the channel server's memory, and keeps a row of the table. */
    private <T> T sampled(String name, Stretch<T> stretch) throws Exception {
        long began = System.nanoTime();
        MemoryPeaks sampler = MemoryPeaks.start(stack.channels().pid(), stack.channelsUrl());
        T result;
        try {
            result = stretch.run();
        } finally {
            sampler.close();
        }
        MemoryPeaks.Peaks peaks = sampler.stop();
        heapLimit = peaks.heapMax();
        memoryRows.add(String.format("%-48s %7.1f %8d M %8d M %8s %9d M %8d M %10.1f %6d M %5.1f", name, (System.nanoTime() - began) / 1e9,
                peaks.residentAtStart() >> 20, peaks.resident() >> 20, peaks.highWaterReset() ? (peaks.residentHighWater() >> 20) + " M" : "n/a",
                peaks.heapAtStart() >> 20, peaks.heap() >> 20, peaks.heapPeakAt(), peaks.oldGeneration() >> 20, peaks.oldGenerationPeakAt()));
        return result;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The server's own account of its archive jobs (its portability log lines, at INFO). */
    private static void printServerLog() throws IOException {
        Path log = PortabilityStack.serverLog();
        if (Files.exists(log)) {
            System.out.println("\nthe channel server's log of the jobs:");
            try (var lines = Files.lines(log)) {
                lines.filter(l -> l.contains("exported ") || l.contains("imported ") || l.contains("failed"))
                        .map(l -> "  " + l.replaceAll("^\\S+ \\S+\\s+", "")).forEach(System.out::println);
            }
        }
    }

    private record Session(Login login, long at) {
    }

    private final Map<String, Session> sessions = new java.util.HashMap<>();

    /** The account's newest login, logged in again when it is older than five minutes (tokens live fifteen). */
    private Login fresh(Login login) {
        Session session = sessions.get(login.jid());
        if (session == null) {
            session = new Session(login, System.nanoTime());
        } else if (System.nanoTime() - session.at() > Duration.ofMinutes(5).toNanos()) {
            session = new Session(client.login(login.username(), login.jid(), login.password()), System.nanoTime());
        }
        sessions.put(login.jid(), session);
        return session.login();
    }

    private HttpRequest.Builder authorized(Login login, String path) {
        return HttpRequest.newBuilder(URI.create(stack.channelsUrl() + path)).header("Authorization", "Bearer " + login.accessToken());
    }

    private JsonNode expect(HttpResponse<String> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " (expected " + status + ") from " + response.uri() + ": "
                    + response.body());
        }
        return json.readTree(response.body());
    }

    /** Waits until the media server's read model has the channel (its event came through Kafka). */
    private void awaitMediaServerKnows(String channel) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (http.send(HttpRequest.newBuilder(URI.create(stack.mediaUrl() + "/" + channel)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the media server never learnt of " + channel);
            }
            LockSupportPause.pause(POLL);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
