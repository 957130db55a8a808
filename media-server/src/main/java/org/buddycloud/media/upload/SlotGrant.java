package org.buddycloud.media.upload;

import java.time.Instant;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/**
 * What a verified XEP-0363 slot token lets its holder do: PUT one file of exactly {@code size} bytes, named
 * {@code fileName} (and of {@code contentType}, when the slot named one), into slot {@code slotId}, as {@code user}.
 */
public record SlotGrant(Jid user, String slotId, String fileName, long size, Optional<String> contentType, Instant expiresAt) {

    /** The claims the channel server's slot tokens carry beyond the registered ones (its {@code SlotToken}). */
    public static final String TYPE = "upload+jwt";
    public static final String FILE_NAME_CLAIM = "filename";
    public static final String SIZE_CLAIM = "size";
    public static final String CONTENT_TYPE_CLAIM = "content-type";
}
