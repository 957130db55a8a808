package org.buddycloud.gateway.web;

import io.vertx.core.http.impl.MimeMapping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The web client's files where Quarkus serves them from (META-INF/resources on the class path: the web-client jar),
 * read once each. The entity tag is the content's hash, the same on every replica and after every restart (a
 * Last-Modified is the time the jar entry was unpacked); weak, because the gzip and the plain answer share it.
 */
final class WebClientFiles {

    private static final String ROOT = "META-INF/resources";
    /** What is worth gzipping: text. Images, fonts and the like are compressed already. */
    private static final Set<String> COMPRESSIBLE = Set.of("text/html", "text/css", "text/javascript", "application/javascript",
            "application/json", "application/manifest+json", "image/svg+xml");

    private final ClassLoader classes;
    /** Only files that exist are remembered: they are few, while the names callers make up are endless. */
    private final Map<String, WebClientFile> known = new ConcurrentHashMap<>();

    WebClientFiles(ClassLoader classes) {
        this.classes = classes;
    }

    /**
     * The file at {@code path} ({@code /} and {@code …/} are index pages), or empty when there is none (or it is
     * empty, as a directory of the jar reads).
     */
    Optional<WebClientFile> find(String path) {
        String name = path.endsWith("/") ? path + "index.html" : path;
        WebClientFile file = known.get(name);
        if (file != null) {
            return Optional.of(file);
        }
        URL resource = classes.getResource(ROOT + name);
        Optional<byte[]> content = resource == null ? Optional.empty() : read(resource);
        Optional<WebClientFile> found = content.filter(bytes -> bytes.length > 0).map(bytes -> describe(name, bytes));
        found.ifPresent(value -> known.put(name, value));
        return found;
    }

    private static WebClientFile describe(String name, byte[] content) {
        String type = Optional.ofNullable(MimeMapping.getMimeTypeForFilename(name)).orElse("application/octet-stream");
        boolean compresses = COMPRESSIBLE.contains(type);
        // as the static handler says it: text in the files' encoding
        String contentType = type.startsWith("text") ? type + ";charset=UTF-8" : type;
        return new WebClientFile(tag(content), contentType, compresses ? Optional.of(gzip(content)) : Optional.empty());
    }

    private static Optional<byte[]> read(URL resource) {
        try (InputStream in = resource.openStream()) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String tag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
