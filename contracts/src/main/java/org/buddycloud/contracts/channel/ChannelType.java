package org.buddycloud.contracts.channel;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.buddycloud.contracts.WireNames;

/** A personal channel is named after its user; a topic channel lives on the topics domain. */
public enum ChannelType {
    PERSONAL, TOPIC;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ChannelType fromWire(String value) {
        return WireNames.parse(ChannelType.class, value);
    }
}
