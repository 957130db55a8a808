package org.buddycloud.channels.upload;

import java.net.URI;
import java.time.Instant;

/** A granted slot: PUT the bytes to {@code putUrl} with {@code Authorization: <authorization>}, share {@code getUrl}. */
public record UploadSlot(String slotId, URI putUrl, URI getUrl, String authorization, Instant expiresAt) {
}
