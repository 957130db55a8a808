package org.buddycloud.channels.token;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;

/**
 * An RSA key pair that signs access tokens. The newest unretired key signs; a retired key stops
 * signing but stays published until every token it signed has expired.
 */
public record SigningKey(String keyId, PrivateKey privateKey, PublicKey publicKey, Instant createdAt, Instant retiredAt) {

    boolean retired() {
        return retiredAt != null;
    }
}
