package org.buddycloud.servicekit.events;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.servicekit.jdbc.Sql;

/**
 * What a consumer that keeps its state in the service's database records beside that state, in the same
 * transaction: the next offset of each partition (where to start after a restart or a rebalance, and which
 * records were applied already when they come again) and the ids of the events it applied (the same event
 * published twice comes at a new offset). Tables of the kit's {@code consumer-state} migration.
 */
public final class ConsumerStateStore {

    private final Sql sql;
    private final String consumer;

    public ConsumerStateStore(Sql sql, String consumer) {
        this.sql = sql;
        this.consumer = consumer;
    }

    /** The recorded next offsets; partitions never applied are absent (they start at the beginning). */
    public Map<TopicPartition, Long> positions(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> found = new HashMap<>();
        for (TopicPartition partition : partitions) {
            sql.one("SELECT next_offset FROM consumer_positions WHERE consumer = ? AND topic = ? AND partition = ?",
                    rs -> rs.getLong(1), consumer, partition.topic(), partition.partition())
                    .ifPresent(next -> found.put(partition, next));
        }
        return found;
    }

    /**
     * Moves the partition's position past {@code offset} when the record comes after it, and says so; false
     * for a record applied before. The position row stays locked until the transaction ends.
     */
    public boolean advance(TopicPartition partition, long offset) {
        int moved = sql.update("UPDATE consumer_positions SET next_offset = ? WHERE consumer = ? AND topic = ? AND partition = ? "
                + "AND next_offset <= ?", offset + 1, consumer, partition.topic(), partition.partition(), offset);
        if (moved == 1) {
            return true;
        }
        return sql.update("INSERT INTO consumer_positions (consumer, topic, partition, next_offset) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", consumer, partition.topic(), partition.partition(), offset + 1) == 1;
    }

    /** Records the event as applied; false when it was applied before. */
    public boolean firstApplication(String eventId, Instant now) {
        return sql.update("INSERT INTO consumer_applied_events (consumer, event_id, applied_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                consumer, eventId, now) == 1;
    }

    /** Forgets the ids of events applied before {@code before}; returns how many. */
    public int forgetAppliedBefore(Instant before) {
        return sql.update("DELETE FROM consumer_applied_events WHERE consumer = ? AND applied_at < ?", consumer, before);
    }

    /** Forgets positions and applied events, so that the topics are applied again from their beginning. */
    public void clear() {
        sql.update("DELETE FROM consumer_positions WHERE consumer = ?", consumer);
        sql.update("DELETE FROM consumer_applied_events WHERE consumer = ?", consumer);
    }
}
