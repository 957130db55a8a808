package org.buddycloud.search.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.search.SearchConfig;
import org.buddycloud.search.domain.IndexPlanner;
import org.buddycloud.search.domain.IndexRejectedException;
import org.buddycloud.search.domain.SearchIndex;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.KafkaBatches;
import org.buddycloud.servicekit.events.RejectedEvent;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds the index from the accounts, channels and posts topics (channel {@code search-index}). The index keeps its
 * own positions, committed with the changes: a new index starts at the beginning of the topics and rebuilds itself, one
 * that survived a restart goes on where its last commit left it, and a change applied twice (a replay after a crash)
 * changes nothing. An index write that fails (Elasticsearch away) is retried with back-off, never skipped; meanwhile
 * the service reports itself unready and its lag grows.
 */
@ApplicationScoped
public class IndexFeed {

    static final String CHANNEL = "search-index";
    private static final Logger LOG = Logger.getLogger(IndexFeed.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);

    private final SearchIndex index;
    private final EventRecords records;
    private final KafkaClientService kafka;
    private final Duration longestRetry;
    private final Map<String, Long> endAtAssignment = new ConcurrentHashMap<>();
    private final Map<String, Long> ends = new ConcurrentHashMap<>();
    /** How far the index has taken each partition this replica reads (what its commits hold). */
    private final Map<String, Long> applied = new ConcurrentHashMap<>();
    private volatile boolean assigned;
    private volatile boolean failing;
    private volatile boolean stopping;
    private volatile boolean rebuildRequested;

    IndexFeed(SearchIndex index, EventRecords records, KafkaClientService kafka, SearchConfig config, MeterRegistry meters) {
        this.index = index;
        this.records = records;
        this.kafka = kafka;
        this.longestRetry = config.longestRetry();
        meters.gauge("buddycloud.search.index.lag", this, IndexFeed::lag);
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public CompletionStage<Void> apply(KafkaRecordBatch<String, byte[]> batch) {
        if (rebuildRequested) {
            rebuildNow();
            return KafkaBatches.done(batch, List.of());
        }
        List<Received> received = new ArrayList<>();
        List<CompletionStage<Void>> setAside = new ArrayList<>();
        for (KafkaRecord<String, byte[]> message : batch) {
            ConsumerRecord<String, byte[]> record = KafkaBatches.record(message);
            String partition = partition(record.topic(), record.partition());
            ends.merge(partition, record.offset() + 1, Math::max);
            try {
                received.add(new Received(message, partition, record.offset() + 1, records.decode(CHANNEL, record).data()));
            } catch (RejectedEvent rejected) {
                setAside.add(message.nack(rejected));
                received.add(new Received(message, partition, record.offset() + 1, null));
            }
        }
        try {
            applyUntilDone(received);
        } catch (IndexRejectedException | IllegalArgumentException refused) {
            // one of them cannot be indexed at all: find it by applying one at a time, set it aside, go on
            for (Received one : received) {
                try {
                    applyUntilDone(List.of(one));
                } catch (IndexRejectedException | IllegalArgumentException e) {
                    LOG.errorf("the search index refuses an event of %s at %d; it is set aside: %s", one.partition(), one.next() - 1,
                            e.getMessage());
                    setAside.add(one.message().nack(new RejectedEvent("the search index refuses it: " + e.getMessage(), e)));
                    applyUntilDone(List.of(new Received(one.message(), one.partition(), one.next(), null)));
                }
            }
        }
        return KafkaBatches.done(batch, setAside);
    }

    /** A record as read: where it leaves its partition, and its event (null when it is not one to apply). */
    private record Received(KafkaRecord<String, byte[]> message, String partition, long next, Object data) {
    }

    /**
     * Plans and applies the events until the index takes them, then their positions; the plan is made again each time,
     * as it reads the index. Failures that may pass (the index away) are retried with back-off, never skipped; a change
     * the index refuses for what it is ({@link IndexRejectedException}) is thrown to the caller.
     */
    private void applyUntilDone(List<Received> events) {
        Map<String, Long> positions = new HashMap<>();
        events.forEach(e -> positions.merge(e.partition(), e.next(), Math::max));
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                IndexPlanner planner = new IndexPlanner(index);
                List<Object> data = events.stream().map(Received::data).filter(java.util.Objects::nonNull).toList();
                planner.prepare(data);
                data.forEach(planner::plan);
                index.apply(planner.changes(), positions);
                positions.forEach((partition, next) -> applied.merge(partition, next, Math::max));
                if (failing) {
                    LOG.info("the search index takes changes again");
                }
                failing = false;
                return;
            } catch (IndexRejectedException | IllegalArgumentException refused) {
                throw refused;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                if (!failing) {
                    LOG.errorf(e, "the search index did not take %d events; retrying until it does", events.size());
                }
                failing = true;
                LockSupport.parkNanos(wait.toNanos());
                wait = wait.multipliedBy(2).compareTo(longestRetry) > 0 ? longestRetry : wait.multipliedBy(2);
            }
        }
    }

    /**
     * Empties the index and reads the topics again from their beginning: an operator's repair, and how the tests prove
     * that the index is rebuilt from the topics alone. Done by the consumer itself, between two batches.
     */
    public void rebuild() {
        rebuildRequested = true;
    }

    private void rebuildNow() {
        rebuildRequested = false;
        index.clear();
        java.util.function.Consumer<Consumer<String, byte[]>> toBeginning = consumer -> consumer.seekToBeginning(consumer.assignment());
        kafka.<String, byte[]>getConsumer(CHANNEL).runOnPollingThread(toBeginning).await().atMost(Duration.ofSeconds(30));
        // unready until the topics are read again up to where they end now
        endAtAssignment.putAll(ends);
        applied.clear();
        LOG.info("the search index is empty and reads the topics again from their beginning");
    }

    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startWhereTheIndexSays() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                // without the index's positions the partitions would start at the offset reset: all over again
                Map<String, Long> positions = positionsUntilKnown();
                List<TopicPartition> fresh = new ArrayList<>();
                for (TopicPartition partition : partitions) {
                    Long next = positions.get(partition(partition.topic(), partition.partition()));
                    if (next == null) {
                        fresh.add(partition);
                    } else {
                        consumer.seek(partition, next);
                    }
                }
                if (!fresh.isEmpty()) {
                    consumer.seekToBeginning(fresh);
                }
                // what this replica reads from now on (with a shared group, others read the rest)
                Map<String, Long> starts = new HashMap<>();
                for (TopicPartition p : partitions) {
                    starts.put(partition(p.topic(), p.partition()), consumer.position(p));
                }
                Map<String, Long> endsNow = new HashMap<>();
                consumer.endOffsets(partitions).forEach((p, end) -> endsNow.put(partition(p.topic(), p.partition()), end));
                applied.keySet().retainAll(starts.keySet());
                applied.putAll(starts);
                endAtAssignment.clear();
                endAtAssignment.putAll(endsNow);
                ends.keySet().retainAll(endsNow.keySet());
                endsNow.forEach((p, end) -> ends.merge(p, end, Math::max));
                assigned = true;
            }
        };
    }

    private Map<String, Long> positionsUntilKnown() {
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                return index.positions();
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                failing = true;
                LOG.warnf("the search index does not tell its positions (%s); asking again in %s", e.getMessage(), wait);
                LockSupport.parkNanos(wait.toNanos());
                wait = wait.multipliedBy(2).compareTo(longestRetry) > 0 ? longestRetry : wait.multipliedBy(2);
            }
        }
    }

    /**
     * Commits what waits for a commit (when the feed is idle nothing else would), and learns where the partitions end
     * now, so that the lag counts what arrived since the last batch.
     */
    @Scheduled(every = "${buddycloud.search.lag-check-interval:10s}", delayed = "10s")
    void checkEnds() {
        try {
            index.flush();
        } catch (RuntimeException e) {
            LOG.warnf("the search index could not commit: %s", e.getMessage());
        }
        if (!assigned) {
            return;
        }
        try {
            Function<Consumer<String, byte[]>, Map<TopicPartition, Long>> endsNow = consumer -> consumer.endOffsets(consumer.assignment());
            kafka.<String, byte[]>getConsumer(CHANNEL).runOnPollingThread(endsNow).await().atMost(Duration.ofSeconds(10))
                    .forEach((p, end) -> ends.merge(partition(p.topic(), p.partition()), end, Math::max));
        } catch (RuntimeException e) {
            LOG.debugf(e, "could not learn where the topics end");
        }
    }

    /** Caught up with the topics as they ended when the partitions were assigned (readiness). */
    public boolean caughtUp() {
        if (!assigned) {
            return false;
        }
        return endAtAssignment.entrySet().stream().allMatch(e -> applied.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** Events in this replica's partitions the index has not applied yet (as of the last check of where they end). */
    public long lag() {
        return ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - applied.getOrDefault(e.getKey(), 0L))).sum();
    }

    public boolean failing() {
        return failing;
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private static String partition(String topic, int partition) {
        return topic + "-" + partition;
    }
}
