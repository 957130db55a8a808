package org.buddycloud.gateway.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Puts a batch of records from several partitions into the order they were written in. Kafka keeps order within a
 * partition only, and a batch hands over one partition's records after another's: a channel's post could come before
 * the ban written just before it, on the memberships topic, and reach the banned follower. Merging the partitions by
 * the records' timestamps (a tie goes to the topic that decides who may read: channels, then memberships, then
 * posts) keeps each partition's own order and puts changes to who may read before the posts they govern.
 */
public final class TimeOrder {

    private TimeOrder() {
    }

    public static <T> List<T> merge(List<T> records, Function<T, String> partition, ToLongFunction<T> timestamp,
                                    ToIntFunction<T> topicRank) {
        Map<String, Deque<T>> byPartition = new LinkedHashMap<>();
        for (T record : records) {
            byPartition.computeIfAbsent(partition.apply(record), p -> new ArrayDeque<>()).addLast(record);
        }
        if (byPartition.size() < 2) {
            return records;
        }
        Comparator<Deque<T>> byHead = Comparator.<Deque<T>>comparingLong(queue -> timestamp.applyAsLong(queue.peekFirst()))
                .thenComparingInt(queue -> topicRank.applyAsInt(queue.peekFirst()));
        PriorityQueue<Deque<T>> heads = new PriorityQueue<>(byHead);
        heads.addAll(byPartition.values());
        List<T> merged = new ArrayList<>(records.size());
        while (!heads.isEmpty()) {
            Deque<T> next = heads.poll();
            merged.add(next.pollFirst());
            if (!next.isEmpty()) {
                heads.add(next);
            }
        }
        return merged;
    }
}
