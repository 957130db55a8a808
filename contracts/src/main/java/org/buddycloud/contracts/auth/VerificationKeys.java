package org.buddycloud.contracts.auth;

import java.security.PublicKey;
import java.util.Optional;

/** Where a verifier finds the public key a token names in its {@code kid} header. */
public interface VerificationKeys {
    Optional<PublicKey> find(String keyId);

    /** Whether any key is known yet; a service cannot accept tokens before. */
    default boolean available() {
        return true;
    }
}
