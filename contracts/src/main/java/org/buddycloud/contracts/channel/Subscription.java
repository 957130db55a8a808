package org.buddycloud.contracts.channel;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.buddycloud.contracts.WireNames;

/** A JID's subscription state on a channel node. */
public enum Subscription {
    NONE, PENDING, SUBSCRIBED, INVITED;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static Subscription fromWire(String value) {
        return WireNames.parse(Subscription.class, value);
    }
}
