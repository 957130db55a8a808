package org.buddycloud.media.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.media.domain.PendingUpload;
import org.buddycloud.servicekit.jdbc.Sql;

/** The pending_uploads table: uploads that have started and not yet been recorded as files. */
@ApplicationScoped
public class PendingUploads {

    private static final String COLUMNS = "channel, id, uploader, file_name, title, description, content_type, declared_size, direct, "
            + "started_at, deadline";

    private final Sql sql;

    PendingUploads(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    void begin(PendingUpload p) {
        sql.update("INSERT INTO pending_uploads (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p.channel(), p.id(),
                p.uploader(), p.fileName(), p.title(), p.description(), p.contentType(), p.declaredSize(), p.direct(), p.startedAt(),
                p.deadline());
    }

    Optional<PendingUpload> find(Jid channel, String id) {
        return sql.one("SELECT " + COLUMNS + " FROM pending_uploads WHERE channel = ? AND id = ?", PendingUploads::row, channel, id);
    }

    /** Ends the pending state; false when it was already gone (swept as abandoned, or finished by someone else). */
    boolean finish(Jid channel, String id) {
        return sql.update("DELETE FROM pending_uploads WHERE channel = ? AND id = ?", channel, id) == 1;
    }

    /** Ends and answers every upload of {@code uploader} still under way: its account is gone. */
    List<PendingUpload> takeUploadedBy(Jid uploader) {
        return sql.list("DELETE FROM pending_uploads WHERE uploader = ? RETURNING " + COLUMNS, PendingUploads::row, uploader);
    }

    /** Ends and answers up to {@code max} uploads past their deadline; rows another sweeper holds are skipped. */
    List<PendingUpload> takeAbandoned(Instant now, int max) {
        return sql.list("DELETE FROM pending_uploads WHERE (channel, id) IN (SELECT channel, id FROM pending_uploads WHERE deadline < ? "
                + "ORDER BY deadline LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, PendingUploads::row, now, max);
    }

    private static PendingUpload row(ResultSet rs) throws SQLException {
        return new PendingUpload(Jid.parse(rs.getString("channel")), rs.getString("id"), Jid.parse(rs.getString("uploader")),
                rs.getString("file_name"), rs.getString("title"), rs.getString("description"), rs.getString("content_type"),
                rs.getLong("declared_size"), rs.getBoolean("direct"), Sql.instant(rs, "started_at"), Sql.instant(rs, "deadline"));
    }
}
