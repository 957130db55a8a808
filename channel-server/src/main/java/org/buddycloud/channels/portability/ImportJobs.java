package org.buddycloud.channels.portability;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;

/**
 * Imports as the database records them: the replica that took the upload runs it (the archive is in its spool), and
 * reports as it goes. One that stops reporting lost its replica and is marked failed; importing the archive again
 * finishes it, as what was restored is mapped and not made twice.
 */
@ApplicationScoped
public class ImportJobs {

    static final String RUNNING = "running";
    static final String DONE = "done";
    static final String FAILED = "failed";

    public record Import(UUID id, Jid account, UUID archiveId, String source, String state, long done, long total, String report,
                         String error, Instant createdAt, Instant finishedAt) {
    }

    private static final String COLUMNS = "id, account, archive_id, source, state, done, total, report, error, created_at, finished_at";

    private final Sql sql;

    ImportJobs(Sql sql) {
        this.sql = sql;
    }

    public Import start(String kind, Jid account, UUID archiveId, String source, String worker, Instant now) {
        UUID id = UUID.randomUUID();
        sql.update("INSERT INTO archive_imports (id, kind, account, archive_id, source, state, worker, created_at, heartbeat_at)"
                + " VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)", id, kind, account, archiveId, source, worker, now, now);
        return find(id).orElseThrow();
    }

    /** Whether the account has an import running now (one at a time: two would race for the same mappings). */
    public boolean running(Jid account) {
        return sql.one("SELECT 1 FROM archive_imports WHERE account = ? AND state = 'running'", rs -> 1, account).isPresent();
    }

    public Optional<Import> find(UUID id) {
        return sql.one("SELECT " + COLUMNS + " FROM archive_imports WHERE id = ?", ImportJobs::of, id);
    }

    public List<Import> of(Jid account) {
        return sql.list("SELECT " + COLUMNS + " FROM archive_imports WHERE account = ? ORDER BY created_at DESC", ImportJobs::of, account);
    }

    public void progress(UUID id, long done, long total, Instant now) {
        sql.update("UPDATE archive_imports SET done = ?, total = ?, heartbeat_at = ? WHERE id = ?", done, total, now, id);
    }

    public void finish(UUID id, String report, Instant now) {
        sql.update("UPDATE archive_imports SET state = 'done', report = ?, finished_at = ?, done = total WHERE id = ?", report, now, id);
    }

    public void fail(UUID id, String error, String report, Instant now) {
        sql.update("UPDATE archive_imports SET state = 'failed', error = ?, report = ?, finished_at = ? WHERE id = ?", error, report, now, id);
    }

    /** Imports whose replica went quiet: failed, saying how to finish them. */
    public int failStale(Instant quietSince, Instant now) {
        return sql.update("UPDATE archive_imports SET state = 'failed', finished_at = ?, error = 'the server importing it stopped;"
                + " import the archive again to finish (what was restored is kept and not made twice)'"
                + " WHERE state = 'running' AND heartbeat_at < ?", now, quietSince);
    }

    public void forget(Jid account) {
        sql.update("DELETE FROM archive_imports WHERE account = ?", account);
    }

    private static Import of(ResultSet rs) throws SQLException {
        return new Import(rs.getObject("id", UUID.class), Jid.parse(rs.getString("account")), rs.getObject("archive_id", UUID.class),
                rs.getString("source"), rs.getString("state"), rs.getLong("done"), rs.getLong("total"), rs.getString("report"),
                rs.getString("error"), Sql.instant(rs, "created_at"), Sql.instant(rs, "finished_at"));
    }
}
