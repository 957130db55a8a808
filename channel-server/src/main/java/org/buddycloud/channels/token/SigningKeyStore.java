package org.buddycloud.channels.token;

import java.time.Instant;
import java.util.List;

/** Persistence of signing keys, shared by every channel-server replica. */
public interface SigningKeyStore {

    List<SigningKey> all();

    void insert(SigningKey key);

    void retireAllBut(String keyId, Instant at);

    void deleteRetiredBefore(Instant cutoff);

    /** Serialises key changes between replicas until the current transaction ends. */
    void lockForChange();
}
