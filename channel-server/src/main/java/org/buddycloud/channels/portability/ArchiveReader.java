package org.buddycloud.channels.portability;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Opens an archive and proves it whole before anyone reads it: a manifest of the known format, every file it lists
 * present with its size and SHA-256, no file it does not list, no name that could leave a folder, and a signature. A
 * refusal says what is wrong; nothing has been written by then.
 */
public final class ArchiveReader {

    /** Bounds an archive must keep, so a crafted one cannot exhaust the server. */
    public record Limits(long maxBytes, int maxFiles) {
    }

    private static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
    private static final int MAX_SIGNATURE_BYTES = 1024;

    private ArchiveReader() {
    }

    /** The archive in {@code file}, verified; refused (400, with the reason) when broken, altered or of another format. */
    public static VerifiedArchive verify(Path file, Limits limits, ArchiveSeal seal) {
        ZipFile zip = open(file);
        try {
            VerifiedArchive archive = verify(zip, limits, seal);
            zip = null;
            return archive;
        } finally {
            closeQuietly(zip);
        }
    }

    private static VerifiedArchive verify(ZipFile zip, Limits limits, ArchiveSeal seal) {
        byte[] manifestBytes = bytes(zip, ArchiveWriter.MANIFEST, MAX_MANIFEST_BYTES);
        ArchiveManifest manifest = ArchiveJson.read(new java.io.ByteArrayInputStream(manifestBytes), ArchiveManifest.class,
                ArchiveWriter.MANIFEST);
        if (!ArchiveManifest.FORMAT.equals(manifest.format())) {
            throw refused("this is no buddycloud archive (format " + manifest.format() + ")");
        }
        if (manifest.version() != ArchiveManifest.VERSION) {
            throw refused("archives of version " + manifest.version() + " are not understood here (this server reads version "
                    + ArchiveManifest.VERSION + ")");
        }
        if (manifest.id() == null || manifest.domain() == null || manifest.createdAt() == null
                || !ArchiveManifest.ACCOUNT.equals(manifest.kind()) && !ArchiveManifest.DOMAIN.equals(manifest.kind())) {
            throw refused("the manifest lacks its id, domain, time or kind");
        }
        if (manifest.files().size() > limits.maxFiles()) {
            throw refused("the archive lists " + manifest.files().size() + " files; at most " + limits.maxFiles() + " are taken");
        }
        if (manifest.totalSize() > limits.maxBytes() || manifest.files().stream().anyMatch(f -> f.size() < 0)) {
            throw refused("the archive's files add up to more than the " + limits.maxBytes() + " bytes taken here");
        }
        Map<String, ArchiveManifest.Entry> listed = new HashMap<>();
        for (ArchiveManifest.Entry entry : manifest.files()) {
            ArchivePaths.check(entry.path());
            if (entry.sha256() == null || !entry.sha256().matches("[0-9a-f]{64}")) {
                throw refused(entry.path() + " has no SHA-256 in the manifest");
            }
            if (listed.put(entry.path(), entry) != null) {
                throw refused("the manifest lists " + entry.path() + " twice");
            }
        }
        Set<String> seen = new HashSet<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            String name = entry.getName();
            if (name.equals(ArchiveWriter.MANIFEST) || name.equals(ArchiveWriter.SIGNATURE) || entry.isDirectory()) {
                continue;
            }
            ArchivePaths.check(name);
            if (!listed.containsKey(name)) {
                throw refused(name + " is in the archive but not in its manifest");
            }
            if (!seen.add(name)) {
                throw refused(name + " is in the archive twice");
            }
            checkFile(zip, entry, listed.get(name));
        }
        for (String path : listed.keySet()) {
            if (!seen.contains(path)) {
                throw refused(path + " is listed in the manifest but missing from the archive");
            }
        }
        byte[] digest = ArchiveWriter.sha256(manifestBytes);
        String signature = new String(bytes(zip, ArchiveWriter.SIGNATURE, MAX_SIGNATURE_BYTES), StandardCharsets.US_ASCII).trim();
        ArchiveSeal.Authenticity authenticity = seal.authenticate(manifest.domain(), digest, signature);
        return new VerifiedArchive(zip, manifest, HexFormat.of().formatHex(digest), signature, authenticity);
    }

    /** Streams one file through SHA-256, never past the size the manifest gives it. */
    private static void checkFile(ZipFile zip, ZipEntry entry, ArchiveManifest.Entry expected) {
        MessageDigest digest = ArchiveWriter.digest();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = zip.getInputStream(entry)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                size += read;
                if (size > expected.size()) {
                    throw refused(expected.path() + " is larger than its manifest says (" + expected.size() + " bytes)");
                }
                digest.update(buffer, 0, read);
            }
        } catch (ZipException e) {
            throw refused(expected.path() + " is damaged: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + expected.path() + " of the archive", e);
        }
        if (size != expected.size()) {
            throw refused(expected.path() + " has " + size + " bytes, its manifest says " + expected.size());
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(expected.sha256())) {
            throw refused(expected.path() + " does not match its checksum: the archive was altered or damaged");
        }
    }

    private static byte[] bytes(ZipFile zip, String name, int max) {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw refused("the archive has no " + name);
        }
        try (InputStream in = new BoundedInput(zip.getInputStream(entry), max, name)) {
            return in.readAllBytes();
        } catch (ZipException e) {
            throw refused(name + " is damaged: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " of the archive", e);
        }
    }

    private static ZipFile open(Path file) {
        try {
            return new ZipFile(file.toFile(), StandardCharsets.UTF_8);
        } catch (ZipException e) {
            throw refused("this is not a ZIP archive, or it is cut short: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the uploaded archive", e);
        }
    }

    static void closeQuietly(ZipFile zip) {
        if (zip != null) {
            try {
                zip.close();
            } catch (IOException e) {
                // nothing was written through it
            }
        }
    }

    static DomainException refused(String reason) {
        return new DomainException(Condition.BAD_REQUEST, "archive refused: " + reason);
    }

    /** Reads no more than {@code max} bytes, refusing the archive past that. */
    static final class BoundedInput extends FilterInputStream {

        private final long max;
        private final String name;
        private long read;

        BoundedInput(InputStream in, long max, String name) {
            super(in);
            this.max = max;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > max) {
                throw refused(name + " is larger than " + max + " bytes");
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (read += n) > max) {
                throw refused(name + " is larger than " + max + " bytes");
            }
            return n;
        }
    }
}
