package org.buddycloud.bench;

import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.http.Method;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.buddycloud.testsupport.LockSupportPause;
import org.buddycloud.testsupport.S3Process;

/**
 * Media throughput of the packaged media server (real Kafka, PostgreSQL, S3 endpoint and channel server),
 * each transfer beside the same transfer done straight against the S3 endpoint in the same run, by the same
 * HTTP client with presigned URLs (so the baseline is the endpoint itself, not an S3 client's signing work): uploads and downloads of 4 KiB, 1 MiB and 50 MiB files (through the
 * media server, and the presigned path for the larger ones), and preview generation beside a plain read of the
 * original. One transfer at a time; figures are medians.
 */
public final class MediaBenchmark {

    private static final String BUCKET = "buddycloud-media";
    private static final String BASELINE_PREFIX = "bench-baseline/";

    private record Size(String label, int bytes, int warmUps, int rounds) {
    }

    private static final List<Size> SIZES = List.of(
            new Size("4 KiB", 4 * 1024, 50, Integer.getInteger("bench.small-rounds", 300)),
            new Size("1 MiB", 1024 * 1024, 10, Integer.getInteger("bench.medium-rounds", 40)),
            new Size("50 MiB", 50 * 1024 * 1024, 1, Integer.getInteger("bench.large-rounds", 6)));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MinioClient s3;
    private String media;
    private String channel;
    private String token;

    private MediaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        MediaStack.run(Map.of(), stack -> {
            MediaBenchmark bench = new MediaBenchmark();
            bench.s3 = MinioClient.builder().endpoint(stack.s3().endpoint()).credentials(S3Process.ACCESS_KEY, S3Process.SECRET_KEY)
                    .region("us-east-1").build();
            bench.media = stack.media().baseUrl();
            bench.register(stack.channels().baseUrl());
            bench.measure();
        });
    }

    private void measure() throws Exception {
        System.out.println(Machine.describe());
        System.out.println("one transfer at a time; medians; MB = 10^6 bytes; S3 = the same transfer straight to the S3 endpoint (presigned URL);"
                + " ratio = media server throughput / S3 throughput");
        System.out.printf("%-7s %-34s %9s %9s %9s %9s %7s%n", "size", "operation", "p50 ms", "MB/s", "S3 p50", "S3 MB/s", "ratio");
        for (Size size : SIZES) {
            byte[] content = new byte[size.bytes()];
            new Random(size.bytes()).nextBytes(content);
            List<String> uploaded = new ArrayList<>();
            rounds(size.warmUps(), () -> uploaded.add(upload(content)));
            rounds(size.warmUps(), () -> s3Put(content));
            Timings upload = rounds(size.rounds(), () -> uploaded.add(upload(content)));
            Timings put = rounds(size.rounds(), () -> s3Put(content));
            row(size, "upload: POST /{channel} multipart", upload, put);
            if (size.bytes() >= 1024 * 1024) {
                rounds(size.warmUps(), () -> uploaded.add(presignedUpload(content)));
                row(size, "upload: presigned PUT + confirm", rounds(size.rounds(), () -> uploaded.add(presignedUpload(content))), put);
            }
            String id = uploaded.get(0);
            rounds(size.warmUps(), () -> download(id, size.bytes()));
            rounds(size.warmUps(), () -> s3Get(BASELINE_PREFIX + "probe", size.bytes()));
            row(size, "download: GET /{channel}/{id}", rounds(size.rounds(), () -> download(id, size.bytes())),
                    rounds(size.rounds(), () -> s3Get(BASELINE_PREFIX + "probe", size.bytes())));
            for (String file : uploaded) {
                delete(file);
            }
        }
        previews();
    }

    private void previews() throws Exception {
        byte[] photo = photo(2400, 1600);
        String id = upload(photo, "photo.jpg", "image/jpeg");
        s3Put(photo);
        int rounds = Integer.getInteger("bench.preview-rounds", 20);
        rounds(3, () -> preview(id, 100 + (int) (Math.random() * 50)));
        rounds(3, () -> s3Get(BASELINE_PREFIX + "probe", photo.length));
        int[] width = {300};
        Timings made = rounds(rounds, () -> preview(id, width[0]++));
        Timings original = rounds(rounds, () -> s3Get(BASELINE_PREFIX + "probe", photo.length));
        Timings cached = rounds(rounds, () -> preview(id, 300));
        System.out.printf("preview of a %,d-byte 2400x1600 JPEG (S3 columns: reading the original straight from S3; ratio = S3 time / preview time)%n", photo.length);
        System.out.printf("%-7s %-34s %9.1f %9s %9.1f %9s %7.3f%n", "", "first request of a size (scales)", made.p50Millis(), "",
                original.p50Millis(), "", original.p50Millis() / made.p50Millis());
        System.out.printf("%-7s %-34s %9.1f %9s %9.1f %9s %7.3f%n", "", "same size again (kept in S3)", cached.p50Millis(), "",
                original.p50Millis(), "", original.p50Millis() / cached.p50Millis());
    }

    private static void row(Size size, String operation, Timings measured, Timings baseline) {
        double mbs = size.bytes() / 1e6 / (measured.p50Millis() / 1000);
        double s3mbs = size.bytes() / 1e6 / (baseline.p50Millis() / 1000);
        System.out.printf("%-7s %-34s %9.2f %9.1f %9.2f %9.1f %7.3f%n", size.label(), operation, measured.p50Millis(), mbs,
                baseline.p50Millis(), s3mbs, mbs / s3mbs);
    }

    /** One measured step. */
    private interface Step {
        void run() throws Exception;
    }

    private record Timings(List<Long> nanos) {
        double p50Millis() {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return sorted.get(sorted.size() / 2) / 1e6;
        }
    }

    private static Timings rounds(int count, Step step) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            step.run();
            nanos.add(System.nanoTime() - start);
        }
        return new Timings(nanos);
    }

    private String upload(byte[] content) throws Exception {
        return upload(content, "bench.bin", "application/octet-stream");
    }

    private String upload(byte[] content, String fileName, String contentType) throws Exception {
        String boundary = "bench" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(media + "/" + channel))
                .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, content, tail))).build(), HttpResponse.BodyHandlers.ofString());
        return idOf(response, 201);
    }

    private String presignedUpload(byte[] content) throws Exception {
        HttpResponse<String> offer = http.send(HttpRequest.newBuilder(URI.create(media + "/" + channel + "/transfers"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\":\"bench.bin\",\"contentType\":\"application/octet-stream\",\"size\":"
                        + content.length + "}")).build(), HttpResponse.BodyHandlers.ofString());
        String id = idOf(offer, 201);
        String url = offer.body().replaceAll(".*\"uploadUrl\":\"([^\"]+)\".*", "$1");
        int put = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (put != 200) {
            throw new IllegalStateException("presigned PUT answered " + put);
        }
        HttpResponse<String> confirmed = http.send(HttpRequest.newBuilder(URI.create(media + "/" + channel + "/transfers/" + id))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        return idOf(confirmed, 201);
    }

    private void download(String id, long expected) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(media + "/" + channel + "/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        drain(response.body(), expected, response.statusCode());
    }

    private void preview(String id, int width) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                URI.create(media + "/" + channel + "/" + id + "?maxwidth=" + width)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        drain(response.body(), -1, response.statusCode());
    }

    private void delete(String id) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(media + "/" + channel + "/" + id)).header("Authorization", "Bearer " + token)
                .DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private String presigned(Method method, String key) throws Exception {
        return s3.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(method).bucket(BUCKET).object(key).expiry(3600).build());
    }

    private void s3Put(byte[] content) throws Exception {
        int status = http.send(HttpRequest.newBuilder(URI.create(presigned(Method.PUT, BASELINE_PREFIX + "probe")))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
            throw new IllegalStateException("direct PUT answered " + status);
        }
    }

    private void s3Get(String key, long expected) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(presigned(Method.GET, key))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        drain(response.body(), expected, response.statusCode());
    }

    private static void drain(InputStream body, long expected, int status) throws IOException {
        try (InputStream in = body) {
            long read = in.transferTo(java.io.OutputStream.nullOutputStream());
            if (status != 200 || (expected >= 0 && read != expected)) {
                throw new IllegalStateException("HTTP " + status + ", " + read + " bytes");
            }
        }
    }

    private static String idOf(HttpResponse<String> response, int expectedStatus) {
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body().replaceAll("^\\{\"id\":\"([^\"]+)\".*", "$1");
    }

    /** A photo-like image: gradients and noise, so JPEG compression has work to do. */
    private static byte[] photo(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
        g.fillRect(0, 0, width, height);
        g.dispose();
        Random random = new Random(7);
        for (int i = 0; i < width * height / 8; i++) {
            image.setRGB(random.nextInt(width), random.nextInt(height), random.nextInt());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /** An account on the channel server; its channel is known to the media server once the event arrived. */
    private void register(String channelServer) throws Exception {
        String user = "bench" + System.nanoTime();
        http.send(HttpRequest.newBuilder(URI.create(channelServer + "/account")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"bench-password\",\"email\":\""
                        + user + "@example.com\"}")).build(), HttpResponse.BodyHandlers.discarding());
        String credentials = Base64.getEncoder().encodeToString((user + ":bench-password").getBytes(StandardCharsets.UTF_8));
        String body = http.send(HttpRequest.newBuilder(URI.create(channelServer + "/auth/token")).header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
        token = body.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        channel = user + "@localhost";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (http.send(HttpRequest.newBuilder(URI.create(media + "/" + channel)).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the media server never learnt of " + channel);
            }
            LockSupportPause.pause(Duration.ofMillis(200));
        }
    }
}
