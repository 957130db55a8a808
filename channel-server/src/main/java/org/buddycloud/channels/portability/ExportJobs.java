package org.buddycloud.channels.portability;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.servicekit.jdbc.Sql;

/**
 * Exports as jobs in the database: asked for, taken by one replica ({@code SKIP LOCKED}), reported on, and their
 * archive kept in 1 MiB rows until the link expires. A replica that dies mid-export leaves a job whose heartbeat
 * stops; another takes it up from the start.
 */
@ApplicationScoped
public class ExportJobs {

    static final String QUEUED = "queued";
    static final String RUNNING = "running";
    static final String READY = "ready";
    static final String FAILED = "failed";
    static final int CHUNK = 1024 * 1024;
    /** A job whose replica died this often (it brings them down, or they keep dying) fails instead of being taken up again. */
    static final int MAX_ATTEMPTS = 3;

    /** One export as its owner sees it. */
    public record Export(UUID id, String kind, Jid account, String state, long done, long total, String error, Long size, String sha256,
                         Instant createdAt, Instant finishedAt, Instant expiresAt) {
    }

    private static final String COLUMNS = "id, kind, account, state, done, total, error, size, sha256, created_at, finished_at, expires_at";

    private final Sql sql;

    ExportJobs(Sql sql) {
        this.sql = sql;
    }

    /**
     * A new export, or the one still under way (asking twice does not make two); refused past the day's allowance.
     */
    public Export request(Jid account, Instant now, int perDay) {
        return request(ArchiveManifest.ACCOUNT, account, now, perDay);
    }

    /** The same for {@code kind} ({@code account} or {@code domain}, whose "account" is the domain's JID). */
    public Export request(String kind, Jid account, Instant now, int perDay) {
        Optional<Export> underWay = sql.one("SELECT " + COLUMNS + " FROM archive_exports WHERE account = ? AND kind = ?"
                + " AND state IN ('queued', 'running') ORDER BY created_at LIMIT 1", ExportJobs::export, account, kind);
        if (underWay.isPresent()) {
            return underWay.get();
        }
        long today = sql.one("SELECT count(*) FROM archive_exports WHERE account = ? AND created_at > ?", rs -> rs.getLong(1),
                account, now.minus(Duration.ofDays(1))).orElse(0L);
        if (today >= perDay) {
            throw new RateLimitedException("at most " + perDay + " exports a day; download the last one or try again tomorrow",
                    Duration.ofHours(1));
        }
        UUID id = UUID.randomUUID();
        sql.update("INSERT INTO archive_exports (id, kind, account, state, created_at) VALUES (?, ?, ?, 'queued', ?)", id, kind, account, now);
        return find(id).orElseThrow();
    }

    public Optional<Export> find(UUID id) {
        return sql.one("SELECT " + COLUMNS + " FROM archive_exports WHERE id = ?", ExportJobs::export, id);
    }

    public List<Export> of(Jid account) {
        return sql.list("SELECT " + COLUMNS + " FROM archive_exports WHERE account = ? ORDER BY created_at DESC", ExportJobs::export, account);
    }

    /** The next export to write, marked as this worker's: a queued one, or one whose worker went quiet. */
    public Optional<Export> claim(String worker, Instant now, Duration staleAfter) {
        Optional<Export> claimed = sql.one("UPDATE archive_exports SET state = 'running', worker = ?, heartbeat_at = ?, done = 0,"
                + " attempts = attempts + 1 WHERE id = (SELECT id FROM archive_exports"
                + " WHERE (state = 'queued' OR (state = 'running' AND heartbeat_at < ?)) AND attempts < " + MAX_ATTEMPTS
                + " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS,
                ExportJobs::export, worker, now, now.minus(staleAfter));
        claimed.ifPresent(export -> sql.update("DELETE FROM archive_chunks WHERE export_id = ?", export.id()));
        return claimed;
    }

    /** Progress, which is also the heartbeat; false when the job is no longer this worker's (taken over, or gone). */
    public boolean progress(UUID id, String worker, long done, long total, Instant now) {
        return sql.update("UPDATE archive_exports SET done = ?, total = greatest(total, ?), heartbeat_at = ? WHERE id = ? AND worker = ?"
                + " AND state = 'running'", done, total, now, id, worker) == 1;
    }

    /** The export is ready; its link's key is kept only as its SHA-256. */
    public void finish(UUID id, long size, String sha256, String manifestSha256, String linkKey, Instant now, Instant expiresAt) {
        byte[] linkHash = ArchiveWriter.sha256(linkKey.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sql.update("UPDATE archive_exports SET state = 'ready', size = ?, sha256 = ?, manifest_sha256 = ?, link_hash = ?, finished_at = ?,"
                + " expires_at = ?, done = greatest(done, total) WHERE id = ?", size, sha256, manifestSha256, linkHash, now, expiresAt, id);
    }

    /**
     * The account an archive made here is of, when {@code id} is one of our account exports and its manifest had that
     * SHA-256 (the row stays after the link expired, until the account removes it or is deleted).
     */
    public Optional<Jid> accountOf(UUID id, String manifestSha256) {
        return sql.one("SELECT account FROM archive_exports WHERE id = ? AND kind = 'account' AND state = 'ready' AND manifest_sha256 = ?",
                rs -> Jid.parse(rs.getString(1)), id, manifestSha256);
    }

    public void fail(UUID id, String error, Instant now) {
        sql.update("UPDATE archive_exports SET state = 'failed', error = ?, finished_at = ?, expires_at = ? WHERE id = ?",
                error, now, now.plus(Duration.ofDays(1)), id);
        sql.update("DELETE FROM archive_chunks WHERE export_id = ?", id);
    }

    /** The ready export the link names, if the key is its key and it has not expired. */
    public Optional<Export> byLink(UUID id, String key, Instant now) {
        byte[] keyHash = ArchiveWriter.sha256(key.trim().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return sql.list("SELECT " + COLUMNS + ", link_hash FROM archive_exports WHERE id = ? AND state = 'ready' AND expires_at > ?",
                rs -> java.security.MessageDigest.isEqual(rs.getBytes("link_hash"), keyHash) ? Optional.of(export(rs)) : Optional.<Export>empty(),
                id, now).stream().flatMap(Optional::stream).findFirst();
    }

    public boolean delete(UUID id, Jid account) {
        return sql.update("DELETE FROM archive_exports WHERE id = ? AND account = ?", id, account) == 1;
    }

    /** Running exports whose replica went quiet and that were taken up too often: failed, their bytes dropped. */
    public int failAbandoned(Instant quietSince, Instant now) {
        sql.update("DELETE FROM archive_chunks WHERE export_id IN (SELECT id FROM archive_exports WHERE state = 'running'"
                + " AND heartbeat_at < ? AND attempts >= " + MAX_ATTEMPTS + ")", quietSince);
        return sql.update("UPDATE archive_exports SET state = 'failed', finished_at = ?, expires_at = ?, error = 'the export stopped "
                + MAX_ATTEMPTS + " times before it was done' WHERE state = 'running' AND heartbeat_at < ? AND attempts >= " + MAX_ATTEMPTS,
                now, now.plus(Duration.ofDays(1)), quietSince);
    }

    /** Drops expired archives with their bytes. */
    public int expire(Instant now) {
        return sql.update("DELETE FROM archive_exports WHERE expires_at < ?", now);
    }

    public void forget(Jid account) {
        sql.update("DELETE FROM archive_exports WHERE account = ?", account);
    }

    /** Where an archive's bytes go, a row per MiB, each written (and committed) as it fills. */
    public OutputStream chunks(UUID id) {
        return new OutputStream() {
            private final byte[] buffer = new byte[CHUNK];
            private int filled;
            private int seq;

            @Override
            public void write(int b) throws IOException {
                if (filled == CHUNK) {
                    flushChunk();
                }
                buffer[filled++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    if (filled == CHUNK) {
                        flushChunk();
                    }
                    int n = Math.min(len, CHUNK - filled);
                    System.arraycopy(b, off, buffer, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void close() throws IOException {
                if (filled > 0) {
                    flushChunk();
                }
            }

            private void flushChunk() {
                sql.update("INSERT INTO archive_chunks (export_id, seq, data) VALUES (?, ?, ?)", id, seq++, Arrays.copyOf(buffer, filled));
                filled = 0;
            }
        };
    }

    /** The archive's bytes, read a row at a time. */
    public InputStream read(UUID id) {
        return new InputStream() {
            private byte[] chunk = new byte[0];
            private int position;
            private int seq;
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                while (position == chunk.length) {
                    if (done) {
                        return -1;
                    }
                    Optional<byte[]> next = sql.one("SELECT data FROM archive_chunks WHERE export_id = ? AND seq = ?",
                            rs -> rs.getBytes(1), id, seq++);
                    if (next.isEmpty()) {
                        done = true;
                        return -1;
                    }
                    chunk = next.get();
                    position = 0;
                }
                int n = Math.min(len, chunk.length - position);
                System.arraycopy(chunk, position, b, off, n);
                position += n;
                return n;
            }
        };
    }

    private static Export export(ResultSet rs) throws SQLException {
        long size = rs.getLong("size");
        Long sizeOrNull = rs.wasNull() ? null : size;
        return new Export(rs.getObject("id", UUID.class), rs.getString("kind"), Jid.parse(rs.getString("account")),
                rs.getString("state"), rs.getLong("done"), rs.getLong("total"), rs.getString("error"), sizeOrNull,
                rs.getString("sha256"), Sql.instant(rs, "created_at"), Sql.instant(rs, "finished_at"), Sql.instant(rs, "expires_at"));
    }
}
