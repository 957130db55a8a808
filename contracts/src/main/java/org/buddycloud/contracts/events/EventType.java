package org.buddycloud.contracts.events;

/**
 * One kind of event: its CloudEvents {@code type} attribute, the topic it is published on and
 * the record its data decodes to. All of them are listed in {@link EventTypes}.
 */
public record EventType<T extends EventPayload>(String name, Topic topic, Class<T> payloadType) {
}
