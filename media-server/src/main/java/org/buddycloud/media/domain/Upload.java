package org.buddycloud.media.domain;

import java.io.InputStream;

/**
 * A file on its way in: its bytes (read once, in order), the length the client declared (-1 when
 * unknown) and the metadata given with it.
 */
public record Upload(InputStream content, long declaredLength, String fileName, String title, String description,
                     String contentType) {
}
