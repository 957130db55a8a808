package org.buddycloud.channels.portability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** An archive proven whole by {@link ArchiveReader}: its manifest, whose signature it bears, and its files to read. */
public final class VerifiedArchive implements AutoCloseable {

    private final ZipFile zip;
    private final ArchiveManifest manifest;
    private final String manifestSha256;
    private final String signature;
    private final ArchiveSeal.Authenticity authenticity;
    private final Map<String, ArchiveManifest.Entry> files;

    VerifiedArchive(ZipFile zip, ArchiveManifest manifest, String manifestSha256, String signature, ArchiveSeal.Authenticity authenticity) {
        this.signature = signature;
        this.zip = zip;
        this.manifest = manifest;
        this.manifestSha256 = manifestSha256;
        this.authenticity = authenticity;
        this.files = manifest.files().stream().collect(Collectors.toMap(ArchiveManifest.Entry::path, Function.identity()));
    }

    public ArchiveManifest manifest() {
        return manifest;
    }

    public String manifestSha256() {
        return manifestSha256;
    }

    /** The signature the archive's domain gave its manifest ({@code manifest.sig}). */
    public String signature() {
        return signature;
    }

    public ArchiveSeal.Authenticity authenticity() {
        return authenticity;
    }

    public boolean has(String path) {
        return files.containsKey(path);
    }

    /** A file the manifest lists, bounded by its listed size; absent files are a broken archive. */
    public InputStream open(String path) {
        ArchiveManifest.Entry entry = Optional.ofNullable(files.get(path))
                .orElseThrow(() -> ArchiveReader.refused(path + " is named in the archive but not in it"));
        ZipEntry zipEntry = zip.getEntry(path);
        try {
            return new ArchiveReader.BoundedInput(zip.getInputStream(zipEntry), entry.size(), path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " of the archive", e);
        }
    }

    public <T> T json(String path, Class<T> type) {
        try (InputStream in = open(path)) {
            return ArchiveJson.read(in, type, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " of the archive", e);
        }
    }

    public <T> T json(String path, com.fasterxml.jackson.core.type.TypeReference<T> type) {
        try (InputStream in = open(path)) {
            return ArchiveJson.read(in, type, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " of the archive", e);
        }
    }

    @Override
    public void close() {
        ArchiveReader.closeQuietly(zip);
    }
}
