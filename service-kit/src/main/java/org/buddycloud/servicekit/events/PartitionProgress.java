package org.buddycloud.servicekit.events;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * How far one consumer of this process has come on each partition assigned to it, and whether it has caught
 * up with where the partitions ended when they were assigned (readiness: a service that decides permissions or
 * checks revocations is not ready before it has read what existed when it started).
 */
public final class PartitionProgress {

    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> endAtAssignment = new ConcurrentHashMap<>();
    private volatile boolean assigned;

    /** A partition newly assigned: reading starts at {@code position}, and the partition ended at {@code end}. */
    public void assigned(TopicPartition partition, long position, long end) {
        next.put(partition, position);
        endAtAssignment.put(partition, end);
        assigned = true;
    }

    /** Where this consumer goes on with a partition it has read before (a rebalance gave it back). */
    public java.util.Optional<Long> next(TopicPartition partition) {
        return java.util.Optional.ofNullable(next.get(partition));
    }

    /** True when this record is before one already handled here (a replay, or a seek back). */
    public boolean handledBefore(TopicPartition partition, long offset) {
        Long from = next.get(partition);
        return from != null && offset < from;
    }

    public void handled(TopicPartition partition, long offset) {
        next.merge(partition, offset + 1, Math::max);
    }

    /** Forgets what was handled, for partitions read again from their beginning. */
    public void restart(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> next.put(p, 0L));
    }

    public boolean caughtUp() {
        return assigned && endAtAssignment.entrySet().stream().allMatch(e -> next.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }
}
