package org.buddycloud.contracts.channel;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.buddycloud.contracts.WireNames;

/** A JID's standing in a channel node (XEP-0060 affiliations as buddycloud uses them). */
public enum Affiliation {
    OWNER, MODERATOR, PUBLISHER, MEMBER, NONE, OUTCAST;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static Affiliation fromWire(String value) {
        return WireNames.parse(Affiliation.class, value);
    }
}
