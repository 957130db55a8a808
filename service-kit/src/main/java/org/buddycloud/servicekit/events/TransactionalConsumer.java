package org.buddycloud.servicekit.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.servicekit.jdbc.Sql;
import org.jboss.logging.Logger;

/**
 * How a consumer whose state lives in the service's database applies records — the read models, and the work
 * one replica of a service does once (index a post, send a push). The replicas share one consumer group and
 * one database; each record is applied in one transaction with its partition's position and its event id
 * ({@link ConsumerStateStore}), so a record read again (a rebalance, a restart, a replay) and an event published
 * twice change nothing. A partition newly assigned starts where the database says, the beginning on a fresh
 * database. A record that cannot be read is thrown on as a {@link RejectedEvent}, for the connector to set it
 * aside; a failure to apply (the database is away) is retried, in order, until it passes — nothing is skipped,
 * and {@link #failing()} says so meanwhile.
 *
 * <p>The consumer's channel has {@code batch=true} and {@code commit-strategy=ignore} (positions are in the
 * database), an ordered {@code @Blocking} method that hands each batch to {@link #apply}, and {@link #listener()} as
 * its rebalance listener. A batch is one transaction: the commit, not the events, is what costs.
 */
public final class TransactionalConsumer {

    /**
     * The switch of a service whose own consumers keep their state this way without the channel read model
     * (which brings the same tables): the kit then migrates {@code consumer_positions} and the applied event ids.
     */
    public static final String SCHEMA_ENABLED = "buddycloud.transactional-consumer.enabled";

    /** What the consumer does with an event, inside the transaction; answers work for after the commit, or null. */
    public interface Effect {
        Runnable apply(CloudEvent<?> event);
    }

    private static final Logger LOG = Logger.getLogger(TransactionalConsumer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final String name;
    private final ConsumerStateStore state;
    private final EventRecords records;
    private final Clock clock;
    private final PartitionProgress progress = new PartitionProgress();
    private final ReplayGuard replays = new ReplayGuard();
    private final Object applying = new Object();
    private volatile boolean failing;
    private volatile boolean stopping;

    public TransactionalConsumer(String name, DataSource dataSource, EventRecords records, Clock clock) {
        this.name = name;
        this.state = new ConsumerStateStore(new Sql(dataSource), name);
        this.records = records;
        this.clock = clock;
    }

    /**
     * Applies a batch of records (the channel has {@code batch=true}): every event of it that was not applied before,
     * in order, in one transaction with the positions and event ids — one commit for many events. An unreadable
     * record is nacked on its own, for the connector's failure strategy to set it aside; the rest goes on.
     */
    public CompletionStage<Void> apply(KafkaRecordBatch<String, byte[]> batch, Effect effect) {
        List<CompletionStage<Void>> setAside = new ArrayList<>();
        synchronized (applying) {
            List<Pending> pending = new ArrayList<>();
            for (KafkaRecord<String, byte[]> message : batch) {
                ConsumerRecord<String, byte[]> record = KafkaBatches.record(message);
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (replays.stale(partition, record.offset())) {
                    continue;
                }
                if (progress.handledBefore(partition, record.offset())) {
                    // read again (a seek back): applied, or set aside, already
                    records.skippedDuplicate(name);
                    continue;
                }
                try {
                    pending.add(new Pending(partition, record.offset(), records.decode(name, record)));
                } catch (RejectedEvent rejected) {
                    pending.add(new Pending(partition, record.offset(), null));
                    setAside.add(message.nack(rejected));
                }
            }
            if (!pending.isEmpty()) {
                List<Runnable> afterCommit = inTransactionUntilDone(pending, () -> applyInTransaction(pending, effect));
                pending.forEach(p -> progress.handled(p.partition(), p.offset()));
                afterCommit.forEach(Runnable::run);
            }
        }
        return KafkaBatches.done(batch, setAside);
    }

    /** One record of a batch: its event, or null when it was set aside. */
    private record Pending(TopicPartition partition, long offset, CloudEvent<?> event) {
    }

    private List<Runnable> applyInTransaction(List<Pending> pending, Effect effect) {
        Map<TopicPartition, Long> next = state.lockPositions(pending.stream().map(Pending::partition).distinct().toList());
        List<Pending> after = pending.stream().filter(p -> p.offset() >= next.get(p.partition())).toList();
        Set<String> fresh = state.firstApplications(after.stream().filter(p -> p.event() != null).map(p -> p.event().id()).toList(),
                clock.instant());
        List<Runnable> afterCommit = new ArrayList<>();
        for (Pending p : after) {
            next.put(p.partition(), p.offset() + 1);
            if (p.event() != null && fresh.remove(p.event().id())) {
                Runnable then = effect.apply(p.event());
                if (then != null) {
                    afterCommit.add(then);
                }
            } else if (p.event() != null) {
                records.skippedDuplicate(name);
            }
        }
        records.skippedDuplicate(name, pending.size() - after.size());
        state.savePositions(next);
        return afterCommit;
    }

    /** Each partition newly assigned to this replica starts where the database says (the beginning if it says nothing). */
    public KafkaConsumerRebalanceListener listener() {
        return listener(Optional::empty);
    }

    /**
     * Each partition newly assigned to this replica starts where the database says; if it says nothing, at the first
     * record written at or after {@code notBefore} (the end when there is none), or the beginning when that is empty.
     * A consumer whose work is telling people (a push) must not tell them of the past when it first starts.
     */
    public KafkaConsumerRebalanceListener listener(Supplier<Optional<Instant>> notBefore) {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                Map<TopicPartition, Long> stored = state.positions(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                Optional<Instant> since = notBefore.get();
                for (TopicPartition partition : partitions) {
                    Long next = stored.get(partition);
                    if (next != null) {
                        consumer.seek(partition, next);
                    } else if (since.isPresent()) {
                        OffsetAndTimestamp first = consumer.offsetsForTimes(Map.of(partition, since.get().toEpochMilli())).get(partition);
                        consumer.seek(partition, first == null ? ends.getOrDefault(partition, 0L) : first.offset());
                    } else {
                        consumer.seekToBeginning(List.of(partition));
                    }
                    long position = consumer.position(partition);
                    progress.assigned(partition, position, ends.getOrDefault(partition, 0L));
                    replays.assigned(partition, position);
                }
            }
        };
    }

    /**
     * Forgets the consumer's state ({@code clearState}, in the same transaction as its positions and event ids)
     * and reads its topics again from their beginning.
     */
    public void rebuild(KafkaClientService kafka, Runnable clearState) {
        synchronized (applying) {
            QuarkusTransaction.requiringNew().run(() -> {
                clearState.run();
                state.clear();
            });
            var consumer = kafka.<String, byte[]>getConsumer(name);
            Set<TopicPartition> assigned = consumer.getAssignments().await().atMost(Duration.ofSeconds(30));
            replays.restart(assigned);
            progress.restart(assigned);
            // the group commits nothing, so "last committed" is the beginning; records already fetched are dropped
            consumer.resetToLastCommittedPositions().await().atMost(Duration.ofSeconds(30));
            LOG.infof("%s cleared; reading %s again from the beginning", name, assigned);
        }
    }

    /** Forgets the ids of events applied before {@code before} (a publication that late again is not recognised). */
    public int forgetAppliedBefore(Instant before) {
        return state.forgetAppliedBefore(before);
    }

    /** Read up to where the partitions ended when they were assigned. */
    public boolean caughtUp() {
        return progress.caughtUp();
    }

    /** True while an event cannot be applied (the database is away): the consumer is falling behind. */
    public boolean failing() {
        return failing;
    }

    /** The service stops: a retry in progress gives up (the record is applied after the restart). */
    public void stop() {
        stopping = true;
    }

    /** Runs {@code work} in a transaction until it commits: events are applied in order, so a failure holds the line. */
    private <T> T inTransactionUntilDone(List<Pending> pending, Supplier<T> work) {
        Duration backoff = Duration.ofMillis(100);
        while (true) {
            try {
                T result = QuarkusTransaction.requiringNew().call(work::get);
                failing = false;
                return result;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                failing = true;
                Pending first = pending.get(0);
                LOG.warnf("%s could not apply %d record(s) from %s@%d (%s); retrying in %d ms", name, pending.size(), first.partition(),
                        first.offset(), e.getMessage(), backoff.toMillis());
                LockSupport.parkNanos(backoff.toNanos());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
