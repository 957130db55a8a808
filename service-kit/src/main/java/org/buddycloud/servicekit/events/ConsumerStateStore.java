package org.buddycloud.servicekit.events;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
     * The next offsets of these partitions, their rows locked until the transaction ends (replicas that meet on a
     * partition during a rebalance take turns); a partition never applied starts at 0.
     */
    public Map<TopicPartition, Long> lockPositions(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (TopicPartition partition : partitions) {
            sql.update("INSERT INTO consumer_positions (consumer, topic, partition, next_offset) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING",
                    consumer, partition.topic(), partition.partition());
            next.put(partition, sql.one("SELECT next_offset FROM consumer_positions WHERE consumer = ? AND topic = ? AND partition = ? "
                    + "FOR UPDATE", rs -> rs.getLong(1), consumer, partition.topic(), partition.partition()).orElse(0L));
        }
        return next;
    }

    public void savePositions(Map<TopicPartition, Long> next) {
        next.forEach((partition, offset) -> sql.update("UPDATE consumer_positions SET next_offset = ? WHERE consumer = ? AND topic = ? "
                + "AND partition = ?", offset, consumer, partition.topic(), partition.partition()));
    }

    /** Records the events as applied; answers those that were not applied before. */
    public Set<String> firstApplications(List<String> eventIds, Instant now) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(sql.list("INSERT INTO consumer_applied_events (consumer, event_id, applied_at) "
                + "SELECT ?, id, ? FROM unnest(?) AS id ON CONFLICT DO NOTHING RETURNING event_id",
                rs -> rs.getString(1), consumer, now, eventIds.toArray(String[]::new)));
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
