package org.buddycloud.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/**
 * Turns our typed events into CloudEvents of the SDK ({@code io.cloudevents}) and back, and writes and
 * reads the structured JSON mode ({@code application/cloudevents+json}, as in EVENTS.md) with the SDK's
 * JSON format. Kafka's binary mode is {@link KafkaEventCodec}.
 *
 * <p>The payload is JSON whose shape is the event record's; unknown fields are ignored so that old
 * consumers survive new producers. A type this version does not know decodes to nothing; an event that
 * is not what it claims to be raises {@link EventFormatException}.
 */
public final class EventCodec {

    public static final String STRUCTURED_CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    private final ObjectMapper json;
    private final EventFormat structured = new JsonFormat();

    public EventCodec() {
        this(newObjectMapper());
    }

    public EventCodec(ObjectMapper json) {
        this.json = json;
    }

    /** The JSON settings every event reader and writer shares: ISO-8601 times, no nulls, unknown fields ignored. */
    public static ObjectMapper newObjectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    public byte[] writeData(EventPayload payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("cannot serialise " + payload.getClass().getSimpleName(), e);
        }
    }

    public <T extends EventPayload> T readData(EventType<T> type, byte[] data) {
        try {
            return json.readValue(data, type.payloadType());
        } catch (IOException | IllegalArgumentException e) {
            throw new EventFormatException("unreadable " + type.name() + " data: " + e.getMessage(), e);
        }
    }

    /** The SDK's view of one of our events: its attributes, and its payload as JSON bytes. */
    public io.cloudevents.CloudEvent toCloudEvent(CloudEvent<?> event) {
        return toCloudEvent(event, writeData(event.data()));
    }

    /** As {@link #toCloudEvent(CloudEvent)} with the payload already serialised (byte for byte as stored in an outbox). */
    public io.cloudevents.CloudEvent toCloudEvent(CloudEvent<?> event, byte[] data) {
        return toCloudEvent(event.id(), event.source(), event.type(), event.subject().toString(), event.time(), data);
    }

    /** An event from its attributes and its serialised payload, which is not read again (an outbox relays it as it is). */
    public io.cloudevents.CloudEvent toCloudEvent(String id, String source, String type, String subject, Instant time, byte[] data) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create(source))
                .withType(type)
                .withSubject(subject)
                .withTime(time.atOffset(ZoneOffset.UTC))
                .withDataContentType(CloudEvent.DATA_CONTENT_TYPE)
                .withData(data)
                .build();
    }

    /** Our typed event from an SDK event; empty when its type is not one this version knows. */
    public Optional<CloudEvent<?>> fromCloudEvent(io.cloudevents.CloudEvent event) {
        Optional<EventType<?>> type = EventTypes.byName(event.getType());
        if (type.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(assemble(type.get(), event));
    }

    public String writeStructured(CloudEvent<?> event) {
        return new String(structured.serialize(toCloudEvent(event)), StandardCharsets.UTF_8);
    }

    /** Decodes a structured-mode event; empty when its type is not one this version knows. */
    public Optional<CloudEvent<?>> readStructured(String document) {
        io.cloudevents.CloudEvent event;
        try {
            event = structured.deserialize(document.getBytes(StandardCharsets.UTF_8));
        } catch (EventDeserializationException | CloudEventRWException | IllegalArgumentException | IllegalStateException e) {
            throw new EventFormatException("not a CloudEvents " + CloudEvent.SPEC_VERSION + " JSON document: " + e.getMessage(), e);
        }
        return fromCloudEvent(event);
    }

    private <T extends EventPayload> CloudEvent<T> assemble(EventType<T> type, io.cloudevents.CloudEvent event) {
        if (!CloudEvent.SPEC_VERSION.equals(event.getSpecVersion().toString())) {
            throw new EventFormatException("not a CloudEvents " + CloudEvent.SPEC_VERSION + " event: specversion=" + event.getSpecVersion());
        }
        CloudEventData data = event.getData();
        if (data == null) {
            throw new EventFormatException(type.name() + " event " + event.getId() + " has no data");
        }
        if (event.getTime() == null || event.getSubject() == null) {
            throw new EventFormatException(type.name() + " event " + event.getId() + " lacks its " + (event.getTime() == null ? "time" : "subject"));
        }
        try {
            return new CloudEvent<>(event.getId(), event.getSource().toString(), type.name(), Jid.parse(event.getSubject()),
                    event.getTime().toInstant(), readData(type, data.toBytes()));
        } catch (IllegalArgumentException e) {
            throw new EventFormatException("invalid " + type.name() + " event " + event.getId() + ": " + e.getMessage(), e);
        }
    }
}
