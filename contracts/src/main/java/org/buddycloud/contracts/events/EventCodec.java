package org.buddycloud.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/**
 * Reads and writes events in the two CloudEvents JSON encodings we use.
 * <ul>
 *   <li>binary mode (Kafka): attributes as {@code ce_*} headers, data as the JSON value;</li>
 *   <li>structured mode ({@code application/cloudevents+json}): one JSON document, as in EVENTS.md.</li>
 * </ul>
 * Unknown event types are skipped (empty result) so that old consumers survive new producers;
 * unreadable events raise {@link EventFormatException}. Unknown fields are ignored for the same reason.
 */
public final class EventCodec {

    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";
    public static final String HEADER_PREFIX = "ce_";
    public static final String CONTENT_TYPE_HEADER = "content-type";

    private final ObjectMapper json;

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

    /** The {@code ce_*} and {@code content-type} headers of binary mode. */
    public Map<String, String> binaryHeaders(CloudEvent<?> event) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HEADER_PREFIX + "specversion", CloudEvent.SPEC_VERSION);
        headers.put(HEADER_PREFIX + "id", event.id());
        headers.put(HEADER_PREFIX + "source", event.source());
        headers.put(HEADER_PREFIX + "type", event.type());
        headers.put(HEADER_PREFIX + "subject", event.subject().toString());
        headers.put(HEADER_PREFIX + "time", event.time().toString());
        headers.put(CONTENT_TYPE_HEADER, CloudEvent.DATA_CONTENT_TYPE);
        return headers;
    }

    /** Decodes a binary-mode event; empty when its type is not one this version knows. */
    public Optional<CloudEvent<?>> readBinary(Map<String, String> headers, byte[] data) {
        String specVersion = headers.get(HEADER_PREFIX + "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(specVersion)) {
            throw new EventFormatException("not a CloudEvents " + CloudEvent.SPEC_VERSION + " event: specversion=" + specVersion);
        }
        Optional<EventType<?>> type = EventTypes.byName(required(headers, "type"));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(assemble(type.get(), headers.get(HEADER_PREFIX + "id"), headers.get(HEADER_PREFIX + "source"),
                headers.get(HEADER_PREFIX + "subject"), headers.get(HEADER_PREFIX + "time"), data));
    }

    public String writeStructured(CloudEvent<?> event) {
        ObjectNode node = json.createObjectNode();
        node.put("specversion", CloudEvent.SPEC_VERSION);
        node.put("id", event.id());
        node.put("source", event.source());
        node.put("type", event.type());
        node.put("subject", event.subject().toString());
        node.put("time", event.time().toString());
        node.put("datacontenttype", CloudEvent.DATA_CONTENT_TYPE);
        node.set("data", json.valueToTree(event.data()));
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("cannot serialise event " + event.id(), e);
        }
    }

    /** Decodes a structured-mode event; empty when its type is not one this version knows. */
    public Optional<CloudEvent<?>> readStructured(String document) {
        JsonNode node;
        try {
            node = json.readTree(document);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject() || !CloudEvent.SPEC_VERSION.equals(node.path("specversion").asText())) {
            throw new EventFormatException("not a CloudEvents " + CloudEvent.SPEC_VERSION + " JSON document");
        }
        Optional<EventType<?>> type = EventTypes.byName(node.path("type").asText());
        if (type.isEmpty()) {
            return Optional.empty();
        }
        byte[] data;
        try {
            data = json.writeValueAsBytes(node.path("data"));
        } catch (JsonProcessingException e) {
            throw new EventFormatException("unreadable data", e);
        }
        return Optional.of(assemble(type.get(), text(node, "id"), text(node, "source"), text(node, "subject"),
                text(node, "time"), data));
    }

    private <T extends EventPayload> CloudEvent<T> assemble(EventType<T> type, String id, String source,
                                                            String subject, String time, byte[] data) {
        try {
            return new CloudEvent<>(id, source, type.name(), Jid.parse(subject), Instant.parse(time), readData(type, data));
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new EventFormatException("invalid " + type.name() + " event " + id + ": " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> headers, String attribute) {
        String value = headers.get(HEADER_PREFIX + attribute);
        if (value == null) {
            throw new EventFormatException("missing header " + HEADER_PREFIX + attribute);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
