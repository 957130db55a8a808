package org.buddycloud.media.domain;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** A stored file of a channel and what is known about it (the bytes live in object storage). */
public record MediaItem(Jid channel, String id, Jid uploader, String fileName, String title, String description,
                        String contentType, long size, String sha1, String sha256, Integer width, Integer height,
                        Instant uploadedAt, Instant updatedAt) {

    /** Where the bytes are kept: by channel, then id. */
    public String objectKey() {
        return MediaIds.objectKey(channel, id);
    }

    /** The same file as a preview of the given type, size and box (its own validator). */
    public MediaItem asPreview(String previewType, long previewSize, int boxWidth, int boxHeight) {
        return new MediaItem(channel, id, uploader, fileName, title, description, previewType, previewSize, sha1,
                sha256 + "-" + boxWidth + "x" + boxHeight, width, height, uploadedAt, updatedAt);
    }

    /** Where the preview of this file for one box is kept. */
    public String previewKey(int boxWidth, int boxHeight) {
        return MediaIds.previewKey(channel, id, boxWidth, boxHeight);
    }

    /** A strong validator for HTTP caches: the content's SHA-256. */
    public String etag() {
        return "\"" + sha256 + "\"";
    }
}
