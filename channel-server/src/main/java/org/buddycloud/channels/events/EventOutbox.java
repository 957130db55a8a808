package org.buddycloud.channels.events;

import org.buddycloud.contracts.events.EventPayload;
import org.buddycloud.contracts.events.EventType;

/**
 * Where the core records the events of a change. The implementation writes them in the same
 * database transaction as the change itself; a relay publishes them to Kafka after commit.
 */
public interface EventOutbox {
    <T extends EventPayload> void add(EventType<T> type, T payload);
}
