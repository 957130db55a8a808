package org.buddycloud.media.domain;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/**
 * A file on its way into storage, recorded before its first byte is written, so that an upload
 * that never finishes leaves a trace the sweeper can clean up rather than an orphaned object.
 *
 * @param declaredSize the size the client announced, -1 when it did not
 * @param direct       true for a presigned transfer: the client writes the bytes to S3 itself and confirms
 * @param deadline     after this the upload counts as abandoned
 */
public record PendingUpload(Jid channel, String id, Jid uploader, String fileName, String title, String description,
                            String contentType, long declaredSize, boolean direct, Instant startedAt, Instant deadline) {

    public String objectKey() {
        return MediaIds.objectKey(channel, id);
    }
}
