package org.buddycloud.contracts.auth;

import java.security.PublicKey;
import java.util.Optional;

/** Where a verifier finds the public key a token names in its {@code kid} header. */
public interface VerificationKeys {
    Optional<PublicKey> find(String keyId);
}
