package org.buddycloud.contracts.events;


/**
 * Where the core records the events of a change. The implementation writes them in the same
 * database transaction as the change itself; a relay publishes them to Kafka after commit.
 */
public interface EventOutbox {
    <T extends EventPayload> void add(EventType<T> type, T payload);
}
