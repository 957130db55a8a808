package org.buddycloud.servicekit.events;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * After a consumer was sent back to the beginning of its partitions (a rebuild), records fetched before the
 * seek may still be on their way to it. They continue the old sequence — their offsets climb on from the
 * last record delivered — while the replay starts over at an offset not above it. This tells the two apart:
 * until a partition starts over, what arrives there is stale.
 *
 * <p>Used from the consumer's ordered handler, its rebalance listener (the polling thread) and a rebuild.
 */
public final class ReplayGuard {

    private final Map<TopicPartition, Long> lastDelivered = new HashMap<>();
    private final Map<TopicPartition, Long> oldSequenceAfter = new HashMap<>();

    /** A partition assigned at {@code position}: what comes before it was applied earlier. */
    public synchronized void assigned(TopicPartition partition, long position) {
        lastDelivered.put(partition, position - 1);
    }

    /** The partitions are read again from their beginning: their old sequence is stale from now on. */
    public synchronized void restart(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Long last = lastDelivered.get(partition);
            if (last != null && last >= 0) {
                oldSequenceAfter.put(partition, last);
            }
        }
    }

    /** True for a record of the old sequence, which must not be applied; the first record of the replay ends it. */
    public synchronized boolean stale(TopicPartition partition, long offset) {
        Long last = oldSequenceAfter.get(partition);
        if (last != null && offset > last) {
            lastDelivered.put(partition, offset);
            return true;
        }
        oldSequenceAfter.remove(partition);
        lastDelivered.put(partition, offset);
        return false;
    }
}
