package org.buddycloud.channels.portability;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an archive as a stream: each file goes into the ZIP as it is produced, counted and hashed on the way, and
 * the manifest listing them all comes last with its signature. Nothing is held in memory but the list of files.
 */
public final class ArchiveWriter implements AutoCloseable {

    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.sig";

    private final ZipOutputStream zip;
    private final List<ArchiveManifest.Entry> written = new ArrayList<>();
    private boolean open;

    public ArchiveWriter(OutputStream out) {
        this.zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
    }

    /** A new file of the archive; closing the stream ends the file (the archive stays open). */
    public OutputStream file(String path) throws IOException {
        return file(path, true);
    }

    /**
     * A new file, compressed or not: media (photos, video) are compressed already, and deflating them again cost the
     * export most of its time for no byte saved (measured: 1,073,741,824 bytes of files became 1,074,069,504).
     */
    public OutputStream file(String path, boolean compressed) throws IOException {
        if (open) {
            throw new IllegalStateException("close the previous file of the archive first");
        }
        ArchivePaths.check(path);
        zip.setLevel(compressed ? Deflater.DEFAULT_COMPRESSION : Deflater.NO_COMPRESSION);
        zip.putNextEntry(new ZipEntry(path));
        open = true;
        return new CountingFile(path);
    }

    public void json(String path, Object value) throws IOException {
        try (OutputStream out = file(path)) {
            ArchiveJson.write(out, value);
        }
    }

    /** Writes the manifest of every file so far and its signature, and ends the archive; the manifest's SHA-256 (hex). */
    public String finish(ArchiveManifest head, ArchiveSeal seal) throws IOException {
        ArchiveManifest manifest = new ArchiveManifest(head.format(), head.version(), head.id(), head.kind(), head.domain(),
                head.account(), head.createdAt(), written);
        byte[] bytes = ArchiveJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(bytes);
        zip.closeEntry();
        byte[] digest = sha256(bytes);
        zip.putNextEntry(new ZipEntry(SIGNATURE));
        zip.write(seal.sign(digest).getBytes(StandardCharsets.US_ASCII));
        zip.closeEntry();
        zip.finish();
        return java.util.HexFormat.of().formatHex(digest);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** One file being written: counts and hashes what passes, and closes only its ZIP entry. */
    private final class CountingFile extends FilterOutputStream {

        private final String path;
        private final MessageDigest digest = digest();
        private long size;

        CountingFile(String path) {
            super(zip);
            this.path = path;
        }

        @Override
        public void write(int b) throws IOException {
            zip.write(b);
            digest.update((byte) b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            zip.write(b, off, len);
            digest.update(b, off, len);
            size += len;
        }

        @Override
        public void flush() {
            // the ZIP stream flushes as it fills; a file's flush must not force small deflate blocks
        }

        @Override
        public void close() throws IOException {
            if (!open) {
                return;
            }
            zip.closeEntry();
            open = false;
            written.add(new ArchiveManifest.Entry(path, size, HexFormat.of().formatHex(digest.digest())));
        }
    }
}
