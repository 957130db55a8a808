package org.buddycloud.servicekit.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.KafkaEventCodec;

/**
 * What a consumer that every replica runs for itself (its own consumer group, nothing committed) remembers
 * so that it acts on each event once: the position where each partition began in this process and how far
 * it has come (a replay from the start or a seek back hands it nothing twice, and nothing from before it
 * started), and the ids of the events it applied lately (the same event published twice — an outbox relay
 * retrying after a lost acknowledgement — comes at a new offset). What it guards, notifications to this
 * replica's sessions or its in-memory revocations, lives in the same memory and dies with it.
 */
public final class ReplicaCursor {

    private static final int REMEMBERED_IDS = 200_000;
    private static final Duration REMEMBERED_FOR = Duration.ofHours(1);
    /** Events applied ahead of Kafka and not yet seen there; beyond this (Kafka away long), Kafka brings the rest. */
    static final int MAX_AHEAD = 100_000;

    private final PartitionProgress progress = new PartitionProgress();
    private final Cache<String, Boolean> appliedIds = Caffeine.newBuilder().maximumSize(REMEMBERED_IDS)
            .expireAfterWrite(REMEMBERED_FOR.toMillis(), TimeUnit.MILLISECONDS).build();
    // exact, not a cache: each of these comes back from Kafka once, however long it is away, and is then forgotten
    private final Set<String> appliedAhead = ConcurrentHashMap.newKeySet();

    /**
     * From the rebalance listener: a partition this replica read before goes on where it left off (nothing is
     * committed, so a rebalance would otherwise start it over at the offset reset); a new one begins where
     * {@code seekNew} puts it — the end of the partition unless it seeks elsewhere.
     */
    public void assigned(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
                         java.util.function.Consumer<Collection<TopicPartition>> seekNew) {
        List<TopicPartition> fresh = partitions.stream().filter(p -> progress.next(p).isEmpty()).toList();
        if (!fresh.isEmpty()) {
            seekNew.accept(fresh);
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            progress.next(partition).ifPresent(next -> consumer.seek(partition, next));
            progress.assigned(partition, consumer.position(partition), ends.getOrDefault(partition, 0L));
        }
    }

    /**
     * Hands the record's event to {@code action} the first time this replica meets it: a record it has passed
     * already and an event id it applied lately are skipped (and counted). An unreadable record is passed too,
     * and its {@link RejectedEvent} thrown on, to set it aside; an action that fails is logged and counted.
     */
    public void once(ConsumerRecord<String, byte[]> record, EventRecords records, String consumer, Consumer<CloudEvent<?>> action) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (progress.handledBefore(partition, record.offset())) {
            records.skippedDuplicate(consumer);
            return;
        }
        progress.handled(partition, record.offset());
        Optional<String> id = KafkaEventCodec.id(record);
        if (id.map(known -> appliedAhead.remove(known) || appliedIds.getIfPresent(known) != null).orElse(false)) {
            // mostly this replica's own changes, applied at their commit: passed without being decoded
            records.skippedDuplicate(consumer);
            return;
        }
        CloudEvent<?> event = records.decode(consumer, record);
        if (appliedIds.asMap().putIfAbsent(event.id(), Boolean.TRUE) != null) {
            records.skippedDuplicate(consumer);
            return;
        }
        try {
            action.accept(event);
        } catch (RuntimeException e) {
            // what such a consumer does is for this replica's live clients, now or never: a failure (the database
            // away while notifying) is counted and passed, not a reason to set a good event aside
            records.failed(consumer, record, e);
        }
    }

    /**
     * For a consumer that acts on an event before it comes from Kafka (this replica's own change, at its commit):
     * true when it may act now, and then the copy that {@link #once} meets later is passed. The event must be one
     * of the consumer's topics, so that its copy does come. False when it was applied already, or when too many
     * are still on their way (Kafka away for long): then the copy from Kafka is applied as any other event.
     */
    public boolean applyAhead(String eventId) {
        if (appliedAhead.size() >= MAX_AHEAD || appliedIds.asMap().putIfAbsent(eventId, Boolean.TRUE) != null) {
            return false;
        }
        // remembered among the applied ids too: the same event published twice comes at two offsets
        return appliedAhead.add(eventId);
    }

    /** {@link #once} for every record of a batch; unreadable ones are nacked, to be set aside, and the rest goes on. */
    public CompletionStage<Void> onceEach(KafkaRecordBatch<String, byte[]> batch, EventRecords records, String consumer,
                                          Consumer<CloudEvent<?>> action) {
        List<CompletionStage<Void>> setAside = new ArrayList<>();
        for (KafkaRecord<String, byte[]> message : batch) {
            try {
                once(KafkaBatches.record(message), records, consumer, action);
            } catch (RejectedEvent rejected) {
                setAside.add(message.nack(rejected));
            }
        }
        return KafkaBatches.done(batch, setAside);
    }

    /**
     * Puts each partition at its first record from {@code since} on (Kafka's record times), or at its end when nothing
     * is that recent: for a consumer that needs only the recent past (revocations, recent activity).
     */
    public static void seekToTime(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
                                  Instant since) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = found.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
    }

    /** The rebalance listener of a consumer that begins at the end of the partitions: news only. */
    public KafkaConsumerRebalanceListener listener() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                             Collection<TopicPartition> partitions) {
                assigned(consumer, partitions, fresh -> consumer.seekToEnd(fresh));
            }
        };
    }

    public boolean caughtUp() {
        return progress.caughtUp();
    }
}
