package org.buddycloud.channels.portability;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an archive holds (README "Portable data", {@code manifest.json}): every other file of the archive with its size
 * and SHA-256, so that a broken or altered archive is refused before anything of it is written.
 *
 * @param kind    {@code account} (one account's data) or {@code domain} (every account of a domain)
 * @param domain  the domain that made it, whose signature {@code manifest.sig} carries
 * @param account the account it is of (for a domain archive, null)
 */
public record ArchiveManifest(String format, int version, UUID id, String kind, String domain, String account,
                              Instant createdAt, List<Entry> files) {

    public static final String FORMAT = "buddycloud-archive";
    public static final int VERSION = 1;
    public static final String ACCOUNT = "account";
    public static final String DOMAIN = "domain";

    public ArchiveManifest {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** One file of the archive. */
    public record Entry(String path, long size, String sha256) {
    }

    public long totalSize() {
        return files.stream().mapToLong(Entry::size).sum();
    }
}
