package org.buddycloud.servicekit.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.KafkaEventCodec;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.Test;

/** A consumer every replica runs for itself acts on each event once, and nothing from before it began. */
class ReplicaCursorTest {

    private static final String TOPIC = "buddycloud.accounts";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final EventRecords records = new EventRecords(metrics, java.time.Clock.systemUTC());
    private final ReplicaCursor cursor = new ReplicaCursor();
    private final List<String> applied = new ArrayList<>();

    @Test
    void eachEventIsAppliedOnceWhetherReadAgainOrPublishedAgain() {
        begin(40, 42);
        ConsumerRecord<String, byte[]> deletion = record(40, deletion("e1"));
        cursor.once(deletion, records, "test", e -> applied.add(e.id()));
        cursor.once(deletion, records, "test", e -> applied.add(e.id()));
        cursor.once(record(41, deletion("e1")), records, "test", e -> applied.add(e.id()));
        assertEquals(List.of("e1"), applied);
        assertEquals(2.0, metrics.counter("buddycloud.events.duplicates", "consumer", "test").count());
        assertTrue(cursor.caughtUp());
    }

    @Test
    void anEventClaimedAtItsCommitIsPassedWhenItComesFromKafka() {
        begin(0, 2);
        assertTrue(cursor.applyAhead("e0"));
        assertFalse(cursor.applyAhead("e0"), "once");
        cursor.once(record(0, deletion("e0")), records, "test", e -> applied.add(e.id()));
        cursor.once(record(1, deletion("e1")), records, "test", e -> applied.add(e.id()));
        assertEquals(List.of("e1"), applied);
        assertEquals(1.0, metrics.counter("buddycloud.events.duplicates", "consumer", "test").count());
    }

    @Test
    void eventsAppliedAheadThroughALongKafkaOutageArePassedOnceEachWhenTheyCome() {
        int outage = 5_000;
        begin(0, 2L * outage);
        for (int i = 0; i < outage; i++) {
            assertTrue(cursor.applyAhead("e" + i));
        }
        for (int i = 0; i < outage; i++) {
            cursor.once(record(i, deletion("e" + i)), records, "test", e -> applied.add(e.id()));
        }
        // the outbox relay retried the last one: it comes once more, at a new offset
        cursor.once(record(outage, deletion("e" + (outage - 1))), records, "test", e -> applied.add(e.id()));
        assertEquals(List.of(), applied);
        assertEquals(outage + 1.0, metrics.counter("buddycloud.events.duplicates", "consumer", "test").count());
    }

    @Test
    void nothingFromBeforeTheReplicaBeganIsApplied() {
        begin(40, 40);
        cursor.once(record(3, deletion("old")), records, "test", e -> applied.add(e.id()));
        assertEquals(List.of(), applied, "a replay from the start reaches back before this replica");
    }

    @Test
    void anUnreadableRecordIsRejectedOnceAndPassed() {
        begin(0, 1);
        ConsumerRecord<String, byte[]> bad = new ConsumerRecord<>(TOPIC, 0, 0, "juliet@example.com", "{".getBytes(StandardCharsets.UTF_8));
        assertThrows(RejectedEvent.class, () -> cursor.once(bad, records, "test", e -> applied.add(e.id())));
        assertTrue(cursor.caughtUp(), "the consumer goes on past it");
        cursor.once(bad, records, "test", e -> applied.add(e.id()));
        assertEquals(1.0, metrics.counter("buddycloud.events.rejected", "consumer", "test", "reason", "malformed").count(),
                "read again, it is not set aside twice");
    }

    @Test
    void anActionThatFailsIsCountedAndTheNextEventStillComes() {
        begin(0, 2);
        cursor.once(record(0, deletion("e0")), records, "test", e -> {
            throw new IllegalStateException("the database is away");
        });
        cursor.once(record(1, deletion("e1")), records, "test", e -> applied.add(e.id()));
        assertEquals(List.of("e1"), applied);
        assertEquals(1.0, metrics.counter("buddycloud.events.failed", "consumer", "test").count());
    }

    @Test
    void aPartitionGivenBackByARebalanceGoesOnWhereItLeftOff() {
        begin(5, 9);
        cursor.once(record(5, deletion("e5")), records, "test", e -> applied.add(e.id()));
        MockConsumer<String, byte[]> again = consumer(0, 9);
        cursor.assigned(again, List.of(P0), fresh -> again.seekToEnd(fresh));
        assertEquals(6, again.position(P0));
        assertFalse(cursor.caughtUp());
    }

    private void begin(long position, long end) {
        MockConsumer<String, byte[]> consumer = consumer(position, end);
        cursor.assigned(consumer, List.of(P0), fresh -> consumer.seek(P0, position));
    }

    private static MockConsumer<String, byte[]> consumer(long position, long end) {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("latest");
        consumer.assign(List.of(P0));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, end));
        consumer.seek(P0, position);
        return consumer;
    }

    private static CloudEvent<AccountDeleted> deletion(String id) {
        Jid juliet = Jid.parse("juliet@example.com");
        return new CloudEvent<>(id, "//test", EventTypes.ACCOUNT_DELETED.name(), juliet, Instant.parse("2026-12-05T10:00:00Z"),
                new AccountDeleted(juliet, Instant.parse("2026-12-05T10:00:00Z"), 7));
    }

    private static ConsumerRecord<String, byte[]> record(long offset, CloudEvent<?> event) {
        ProducerRecord<String, byte[]> sent = new KafkaEventCodec().record(TOPIC, event);
        return new ConsumerRecord<>(TOPIC, 0, offset, ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, sent.key(), sent.value(), sent.headers(), Optional.empty());
    }
}
