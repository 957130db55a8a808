package org.buddycloud.channels.token;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;

/**
 * An RSA key pair that signs access tokens. A key is published from its creation, signs from
 * {@code activatesAt} (later than creation for a scheduled rotation, so every service has seen it
 * before the first token it signs), and stops signing at {@code retiredAt}, staying published
 * until every token it signed has expired.
 */
public record SigningKey(String keyId, PrivateKey privateKey, PublicKey publicKey, Instant createdAt, Instant activatesAt,
                         Instant retiredAt) {

    boolean signsAt(Instant now) {
        return !activatesAt.isAfter(now) && (retiredAt == null || retiredAt.isAfter(now));
    }
}
