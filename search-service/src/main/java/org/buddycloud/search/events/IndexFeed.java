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
        List<Object> events = new ArrayList<>();
        Map<String, Long> positions = new HashMap<>();
        List<CompletionStage<Void>> setAside = new ArrayList<>();
        for (KafkaRecord<String, byte[]> message : batch) {
            ConsumerRecord<String, byte[]> record = KafkaBatches.record(message);
            positions.put(partition(record.topic(), record.partition()), record.offset() + 1);
            ends.merge(partition(record.topic(), record.partition()), record.offset() + 1, Math::max);
            try {
                events.add(records.decode(CHANNEL, record).data());
            } catch (RejectedEvent rejected) {
                setAside.add(message.nack(rejected));
            }
        }
        applyUntilDone(events, positions);
        return KafkaBatches.done(batch, setAside);
    }

    /** Plans and applies the batch until the index takes it; the plan is made again, as it reads the index. */
    private void applyUntilDone(List<Object> events, Map<String, Long> positions) {
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                IndexPlanner planner = new IndexPlanner(index::channel);
                events.forEach(planner::plan);
                index.apply(planner.changes(), positions);
                if (failing) {
                    LOG.info("the search index takes changes again");
                }
                failing = false;
                return;
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
        LOG.info("the search index is empty and reads the topics again from their beginning");
    }

    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startWhereTheIndexSays() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                Map<String, Long> positions = index.positions();
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
                consumer.endOffsets(partitions).forEach((p, end) -> {
                    endAtAssignment.put(partition(p.topic(), p.partition()), end);
                    ends.merge(partition(p.topic(), p.partition()), end, Math::max);
                });
                assigned = true;
            }
        };
    }

    /** Learns where the partitions end now, so that the lag counts what arrived since the last batch. */
    @Scheduled(every = "${buddycloud.search.lag-check-interval:10s}", delayed = "10s")
    void checkEnds() {
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
        Map<String, Long> positions = index.positions();
        return endAtAssignment.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** Events in the topics the index has not applied yet (as of the last check of where the topics end). */
    public long lag() {
        Map<String, Long> positions = index.positions();
        return ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - positions.getOrDefault(e.getKey(), 0L))).sum();
    }

    public boolean failing() {
        return failing;
    }

    public Set<String> partitions() {
        return Set.copyOf(ends.keySet());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private static String partition(String topic, int partition) {
        return topic + "-" + partition;
    }
}
