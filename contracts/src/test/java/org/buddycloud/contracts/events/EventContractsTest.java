package org.buddycloud.contracts.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type has a schema and an example; the records, the schema and the example agree. */
class EventContractsTest {

    private static final ObjectMapper JSON = EventCodec.newObjectMapper();
    private static final EventCodec CODEC = new EventCodec();
    private static final KafkaEventCodec KAFKA = new KafkaEventCodec(CODEC);
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static Stream<EventType<?>> types() {
        return EventTypes.all().stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void exampleDecodesToItsRecordAndEncodesBackUnchanged(EventType<?> type) throws IOException {
        String example = example(type);
        CloudEvent<?> event = CODEC.readStructured(example).orElseThrow();
        assertInstanceOf(type.payloadType(), event.data());
        assertEquals(type.name(), event.type());
        assertEquals(event.data().subject(), event.subject(), "the subject (Kafka key) is what the payload is about");
        assertEquals(JSON.readTree(example), JSON.readTree(CODEC.writeStructured(event)));
    }

    @ParameterizedTest
    @MethodSource("types")
    void serialisedRecordMatchesTheSchema(EventType<?> type) {
        CloudEvent<?> event = CODEC.readStructured(example(type)).orElseThrow();
        String data = new String(CODEC.writeData(event.data()), StandardCharsets.UTF_8);
        assertEquals(List.of(), messages(validate(type, data)));
    }

    @ParameterizedTest
    @MethodSource("types")
    void binaryModeRoundTripKeepsEveryAttribute(EventType<?> type) {
        CloudEvent<?> event = CODEC.readStructured(example(type)).orElseThrow();
        ProducerRecord<String, byte[]> record = KAFKA.record("topic", event);
        assertEquals("1.0", header(record, "ce_specversion"));
        assertEquals(event.subject().toString(), header(record, "ce_subject"));
        assertEquals(event.subject().toString(), record.key(), "the subject keys the record");
        assertEquals("application/json", header(record, "content-type"));
        assertEquals(event, KAFKA.read(consumed(record)).orElseThrow());
    }

    @Test
    void everyTypeHasADistinctNameASchemaAndAnExample() {
        var names = new HashSet<String>();
        for (EventType<?> type : EventTypes.all()) {
            assertTrue(names.add(type.name()), type.name());
            assertTrue(schemaDocument().path("$defs").has(type.payloadType().getSimpleName()), type.name());
            assertNotNull(EventContractsTest.class.getResource("/events/examples/" + type.name() + ".json"), type.name());
            assertTrue(type.name().startsWith("org.buddycloud."), type.name());
        }
    }

    @Test
    void schemaRefusesAPayloadWithoutARequiredField() {
        String data = "{\"email\":\"juliet@example.com\",\"registeredAt\":\"2026-11-26T10:15:30Z\"}";
        assertFalse(validate(EventTypes.ACCOUNT_REGISTERED, data).isEmpty());
    }

    @Test
    void schemaRefusesAnUnknownAccessModel() throws IOException {
        ObjectNode data = (ObjectNode) JSON.readTree(example(EventTypes.POST_PUBLISHED)).get("data");
        data.put("accessModel", "public");
        assertFalse(validate(EventTypes.POST_PUBLISHED, data.toString()).isEmpty());
    }

    @Test
    void schemaRefusesAReplyWithoutItsParentAuthor() throws IOException {
        ObjectNode data = (ObjectNode) JSON.readTree(example(EventTypes.POST_PUBLISHED)).get("data");
        ((ObjectNode) data.get("post")).remove("parentAuthor");
        assertFalse(validate(EventTypes.POST_PUBLISHED, data.toString()).isEmpty());
    }

    @Test
    void unknownEventTypesDecodeToNothingSoConsumersCanSetThemAside() {
        ProducerRecord<String, byte[]> record = KAFKA.record("topic", CODEC.readStructured(example(EventTypes.ACCOUNT_REGISTERED)).orElseThrow());
        record.headers().remove("ce_type").add("ce_type", "org.buddycloud.account.renamed".getBytes(StandardCharsets.UTF_8));
        assertTrue(KAFKA.read(consumed(record)).isEmpty());
    }

    @Test
    void unknownFieldsAreIgnored() {
        String example = example(EventTypes.ACCOUNT_REGISTERED).replace("\"email\"", "\"nickname\": \"Jules\", \"email\"");
        assertEquals("juliet@example.com",
                ((AccountRegistered) CODEC.readStructured(example).orElseThrow().data()).email());
    }

    @Test
    void malformedEventsRaiseAFormatErrorNamingTheProblem() {
        assertThrows(EventFormatException.class, () -> CODEC.readStructured("not json"));
        assertThrows(EventFormatException.class, () -> CODEC.readStructured("{\"type\":\"org.buddycloud.account.registered\"}"));
        CloudEvent<?> registered = CODEC.readStructured(example(EventTypes.ACCOUNT_REGISTERED)).orElseThrow();
        ProducerRecord<String, byte[]> badData = KAFKA.record("topic", registered, "{\"jid\":\"not a jid\"}".getBytes(StandardCharsets.UTF_8));
        EventFormatException refused = assertThrows(EventFormatException.class, () -> KAFKA.read(consumed(badData)));
        assertTrue(refused.getMessage().contains("org.buddycloud.account.registered"), refused.getMessage());
        ProducerRecord<String, byte[]> noTime = KAFKA.record("topic", registered);
        noTime.headers().remove("ce_time");
        assertThrows(EventFormatException.class, () -> KAFKA.read(consumed(noTime)));
        ProducerRecord<String, byte[]> notACloudEvent = new ProducerRecord<>("topic", "juliet@example.com", "{}".getBytes(StandardCharsets.UTF_8));
        assertThrows(EventFormatException.class, () -> KAFKA.read(consumed(notACloudEvent)));
    }

    /** The record as a consumer receives it: the producer's key, headers and value. */
    static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent) {
        return new ConsumerRecord<>(sent.topic(), 0, 0L, ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, sent.key(), sent.value(), sent.headers(), Optional.empty());
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<Error> validate(EventType<?> type, String data) {
        ObjectNode schema = schemaDocument().deepCopy();
        schema.put("$ref", "#/$defs/" + type.payloadType().getSimpleName());
        return SCHEMAS.getSchema(schema.toString()).validate(data, InputFormat.JSON);
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }

    private static JsonNode schemaDocument() {
        try {
            return JSON.readTree(resource("/events/events.schema.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String example(EventType<?> type) {
        return resource("/events/examples/" + type.name() + ".json");
    }

    private static String resource(String path) {
        try (InputStream in = EventContractsTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
