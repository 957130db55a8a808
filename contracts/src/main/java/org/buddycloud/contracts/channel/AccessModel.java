package org.buddycloud.contracts.channel;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.buddycloud.contracts.WireNames;

/** Who may read a channel node (PROTOCOL.md decision 2). */
public enum AccessModel {
    /** Anyone reads; subscribing is immediate. */
    OPEN,
    /** Subscribing creates a pending request that an owner or moderator approves. */
    AUTHORIZE,
    /** Only JIDs an owner or moderator added may read. */
    WHITELIST,
    /** Open to the server's own domain, {@link #AUTHORIZE} for everyone else. */
    LOCAL;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /** A missing or unknown access model is treated as {@link #AUTHORIZE}: fail closed. */
    @JsonCreator
    public static AccessModel fromWire(String value) {
        return WireNames.find(AccessModel.class, value).orElse(AUTHORIZE);
    }
}
