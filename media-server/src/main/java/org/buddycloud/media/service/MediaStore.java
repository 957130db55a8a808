package org.buddycloud.media.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.media.domain.MediaItem;
import org.buddycloud.servicekit.jdbc.Sql;

/** The media table. */
@ApplicationScoped
public class MediaStore {

    private static final String COLUMNS = "channel, id, uploader, file_name, title, description, content_type, file_size, sha1, sha256, "
            + "width, height, uploaded_at, updated_at";

    private final Sql sql;

    MediaStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    void insert(MediaItem m) {
        sql.update("INSERT INTO media (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", m.channel(), m.id(),
                m.uploader(), m.fileName(), m.title(), m.description(), m.contentType(), m.size(), m.sha1(), m.sha256(), m.width(),
                m.height(), m.uploadedAt(), m.updatedAt());
    }

    /** Changes the name, title, description and update time; false when the row is gone. */
    boolean update(MediaItem m) {
        return sql.update("UPDATE media SET file_name = ?, title = ?, description = ?, updated_at = ? WHERE channel = ? AND id = ?",
                m.fileName(), m.title(), m.description(), m.updatedAt(), m.channel(), m.id()) == 1;
    }

    boolean delete(Jid channel, String id) {
        sql.update("DELETE FROM avatars WHERE channel = ? AND media_id = ?", channel, id);
        return sql.update("DELETE FROM media WHERE channel = ? AND id = ?", channel, id) == 1;
    }

    /** Makes {@code id} the channel's avatar and answers the media id it replaces (locked until commit). */
    Optional<String> switchAvatar(Jid channel, String id) {
        Optional<String> previous = sql.one("SELECT media_id FROM avatars WHERE channel = ? FOR UPDATE", rs -> rs.getString(1), channel);
        sql.update("INSERT INTO avatars (channel, media_id) VALUES (?, ?) ON CONFLICT (channel) DO UPDATE SET media_id = excluded.media_id",
                channel, id);
        return previous;
    }

    Optional<String> avatar(Jid channel) {
        return sql.one("SELECT media_id FROM avatars WHERE channel = ?", rs -> rs.getString(1), channel);
    }

    boolean isAvatar(Jid channel, String id) {
        return sql.one("SELECT 1 FROM avatars WHERE channel = ? AND media_id = ?", rs -> true, channel, id).isPresent();
    }

    /** Forgets every file of a channel (its rows; the bytes go separately) and answers their ids. */
    List<String> deleteChannel(Jid channel) {
        sql.update("DELETE FROM avatars WHERE channel = ?", channel);
        return sql.list("DELETE FROM media WHERE channel = ? RETURNING id", rs -> rs.getString(1), channel);
    }

    /**
     * Forgets every file {@code uploader} stored, in any channel, and any avatar that was one of them (the rows; the
     * bytes go separately); answers the files.
     */
    List<MediaItem> deleteUploadedBy(Jid uploader) {
        sql.update("DELETE FROM avatars a USING media m WHERE m.channel = a.channel AND m.id = a.media_id AND m.uploader = ?", uploader);
        return sql.list("DELETE FROM media WHERE uploader = ? RETURNING " + COLUMNS, MediaStore::row, uploader);
    }

    Optional<MediaItem> find(Jid channel, String id) {
        return sql.one("SELECT " + COLUMNS + " FROM media WHERE channel = ? AND id = ?", MediaStore::row, channel, id);
    }

    /** Newest first; {@code after} = the id of the last item of the previous page (older ones follow). */
    List<MediaItem> list(Jid channel, int max, MediaItem after) {
        if (after == null) {
            return sql.list("SELECT " + COLUMNS + " FROM media WHERE channel = ? ORDER BY updated_at DESC, id DESC LIMIT ?",
                    MediaStore::row, channel, max);
        }
        return sql.list("SELECT " + COLUMNS + " FROM media WHERE channel = ? AND (updated_at, id) < (?, ?) "
                + "ORDER BY updated_at DESC, id DESC LIMIT ?", MediaStore::row, channel, after.updatedAt(), after.id(), max);
    }

    private static MediaItem row(ResultSet rs) throws SQLException {
        return new MediaItem(Jid.parse(rs.getString("channel")), rs.getString("id"), Jid.parse(rs.getString("uploader")),
                rs.getString("file_name"), rs.getString("title"), rs.getString("description"), rs.getString("content_type"),
                rs.getLong("file_size"), rs.getString("sha1"), rs.getString("sha256"), (Integer) rs.getObject("width"),
                (Integer) rs.getObject("height"), Sql.instant(rs, "uploaded_at"), Sql.instant(rs, "updated_at"));
    }
}
