package org.buddycloud.channels.upload;

import java.time.Instant;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/**
 * What a slot's token says to the media server: who may PUT which file of which size and type into which slot,
 * until when. A JWT with {@code iss}, {@code aud} (the upload audience), {@code sub} (the user's bare JID),
 * {@code jti} (the slot id), {@code iat}, {@code exp} and the claims named here; the media server reads the same names.
 */
public record SlotToken(String issuer, String audience, Jid user, String slotId, String fileName, long size,
                        Optional<String> contentType, Instant issuedAt, Instant expiresAt) {

    /** The JWS {@code typ} of slot tokens (access tokens are {@code at+jwt}). */
    public static final String TYPE = "upload+jwt";
    public static final String FILE_NAME_CLAIM = "filename";
    public static final String SIZE_CLAIM = "size";
    public static final String CONTENT_TYPE_CLAIM = "content-type";
}
