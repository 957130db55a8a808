package org.buddycloud.media.upload;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** A file uploaded over XEP-0363: who sent what, how large, when; its bytes are in S3 under {@link #objectKey()}. */
public record HttpUpload(String slotId, Jid uploader, String fileName, String contentType, long size, String sha256,
                         Instant startedAt, Instant storedAt) {

    public static final String PREFIX = "uploads/";

    public String objectKey() {
        return objectKey(slotId);
    }

    static String objectKey(String slotId) {
        return PREFIX + slotId;
    }
}
