package org.buddycloud.media.upload;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;

/** The http_uploads table. */
@ApplicationScoped
public class HttpUploadStore {

    private static final String COLUMNS = "slot_id, uploader, file_name, content_type, file_size, sha256, started_at, stored_at";

    private final Sql sql;

    HttpUploadStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** Claims the slot; false when it was used before (the row is there, finished or not). */
    boolean begin(HttpUpload u) {
        return sql.update("INSERT INTO http_uploads (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, NULL, ?, NULL) ON CONFLICT (slot_id) DO NOTHING",
                u.slotId(), u.uploader(), u.fileName(), u.contentType(), u.size(), u.startedAt()) == 1;
    }

    boolean finish(String slotId, String sha256, Instant storedAt) {
        return sql.update("UPDATE http_uploads SET sha256 = ?, stored_at = ? WHERE slot_id = ? AND stored_at IS NULL",
                sha256, storedAt, slotId) == 1;
    }

    void forget(String slotId) {
        sql.update("DELETE FROM http_uploads WHERE slot_id = ?", slotId);
    }

    /** A finished upload. */
    Optional<HttpUpload> stored(String slotId) {
        return sql.one("SELECT " + COLUMNS + " FROM http_uploads WHERE slot_id = ? AND stored_at IS NOT NULL", HttpUploadStore::row, slotId);
    }

    /** Deletes and answers the uploads of {@code uploader}, finished or not. */
    List<HttpUpload> deleteUploader(Jid uploader) {
        return sql.list("DELETE FROM http_uploads WHERE uploader = ? RETURNING " + COLUMNS, HttpUploadStore::row, uploader);
    }

    /** Deletes and answers up to {@code max} uploads started before {@code before} and never finished. */
    List<HttpUpload> takeUnfinished(Instant before, int max) {
        return sql.list("DELETE FROM http_uploads WHERE slot_id IN (SELECT slot_id FROM http_uploads WHERE stored_at IS NULL AND started_at < ? "
                + "ORDER BY started_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, HttpUploadStore::row, before, max);
    }

    private static HttpUpload row(ResultSet rs) throws SQLException {
        return new HttpUpload(rs.getString("slot_id"), Jid.parse(rs.getString("uploader")), rs.getString("file_name"),
                rs.getString("content_type"), rs.getLong("file_size"), rs.getString("sha256"), Sql.instant(rs, "started_at"),
                Sql.instant(rs, "stored_at"));
    }
}
