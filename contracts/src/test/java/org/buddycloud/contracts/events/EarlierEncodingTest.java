package org.buddycloud.contracts.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The topics of a running installation survive the upgrade to the CloudEvents SDK: every example event as
 * the encoder of version 0.1 (hand-written binary mode) put it on Kafka — its headers and value kept byte for
 * byte under {@code /events/binary-0.1/} — is read by today's {@link KafkaEventCodec} as the same event.
 */
class EarlierEncodingTest {

    private static final EventCodec CODEC = new EventCodec();

    /** Types added after version 0.1 were never written by its encoder. */
    private static final java.util.Set<EventType<?>> NEWER = java.util.Set.of(EventTypes.MESSAGE_WAITING,
            EventTypes.POST_IMPORTED, EventTypes.CHANNEL_MOVED);

    static Stream<EventType<?>> types() {
        return EventTypes.all().stream().filter(type -> !NEWER.contains(type));
    }

    @ParameterizedTest
    @MethodSource("types")
    void recordsWrittenByTheFirstEncoderAreReadAsTheSameEvents(EventType<?> type) {
        RecordHeaders headers = new RecordHeaders();
        for (String line : resource("/events/binary-0.1/" + type.name() + ".headers").split("\n")) {
            int colon = line.indexOf(": ");
            headers.add(line.substring(0, colon), line.substring(colon + 2).getBytes(StandardCharsets.UTF_8));
        }
        byte[] value = resource("/events/binary-0.1/" + type.name() + ".data.json").getBytes(StandardCharsets.UTF_8);
        CloudEvent<?> expected = CODEC.readStructured(resource("/events/examples/" + type.name() + ".json")).orElseThrow();
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("buddycloud.events", 0, 42L, ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, expected.subject().toString(),
                value, headers, Optional.empty());
        assertEquals(expected, new KafkaEventCodec(CODEC).read(record).orElseThrow());
    }

    private static String resource(String path) {
        try (InputStream in = EarlierEncodingTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
