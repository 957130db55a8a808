package org.buddycloud.media.rest;

import java.time.Instant;
import org.buddycloud.media.domain.MediaItem;

/** A file's metadata in the shape of the original media server (PROTOCOL.md §3), plus its SHA-256. */
public record MediaJson(String id, String fileName, String author, String title, String description, String mimeType,
                        String fileExtension, String shaChecksum, String sha256, long fileSize, Integer height, Integer width,
                        Instant uploadedDate, Instant lastUpdatedDate, String entityId) {

    static MediaJson of(MediaItem m) {
        int dot = m.fileName().lastIndexOf('.');
        String extension = dot > 0 && dot < m.fileName().length() - 1 ? m.fileName().substring(dot + 1) : null;
        return new MediaJson(m.id(), m.fileName(), m.uploader().toString(), m.title(), m.description(), m.contentType(), extension,
                m.sha1(), m.sha256(), m.size(), m.height(), m.width(), m.uploadedAt(), m.updatedAt(), m.channel().toString());
    }
}
