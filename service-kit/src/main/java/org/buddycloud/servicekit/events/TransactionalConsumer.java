package org.buddycloud.servicekit.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * <p>The consumer's channel has {@code commit-strategy=ignore} (positions are in the database), an ordered
 * {@code @Blocking} method that calls {@link #apply}, and {@link #listener()} as its rebalance listener.
 */
public final class TransactionalConsumer {

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

    /** Applies the record's event once, with {@code effect}; see the class comment for what is skipped and retried. */
    public void apply(ConsumerRecord<String, byte[]> record, Effect effect) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        synchronized (applying) {
            if (replays.stale(partition, record.offset())) {
                return;
            }
            if (progress.handledBefore(partition, record.offset())) {
                // read again (a seek back): applied, or set aside, already
                records.skippedDuplicate(name);
                return;
            }
            CloudEvent<?> event;
            try {
                event = records.decode(name, record);
            } catch (RejectedEvent rejected) {
                inTransactionUntilDone(record, () -> {
                    state.advance(partition, record.offset());
                    return null;
                });
                throw rejected;
            }
            Runnable afterCommit = inTransactionUntilDone(record, () -> {
                if (!state.advance(partition, record.offset()) || !state.firstApplication(event.id(), clock.instant())) {
                    records.skippedDuplicate(name);
                    return null;
                }
                return effect.apply(event);
            });
            if (afterCommit != null) {
                afterCommit.run();
            }
        }
    }

    /** Each partition newly assigned to this replica starts where the database says (the beginning if it says nothing). */
    public KafkaConsumerRebalanceListener listener() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                Map<TopicPartition, Long> stored = state.positions(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                for (TopicPartition partition : partitions) {
                    Long next = stored.get(partition);
                    if (next == null) {
                        consumer.seekToBeginning(List.of(partition));
                    } else {
                        consumer.seek(partition, next);
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

    private <T> T inTransactionUntilDone(ConsumerRecord<String, byte[]> record, java.util.function.Supplier<T> work) {
        Duration backoff = Duration.ofMillis(100);
        while (true) {
            try {
                T result = QuarkusTransaction.requiringNew().call(work::get);
                progress.handled(new TopicPartition(record.topic(), record.partition()), record.offset());
                failing = false;
                return result;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                failing = true;
                LOG.warnf("%s could not apply %s-%d@%d (%s); retrying in %d ms", name, record.topic(), record.partition(),
                        record.offset(), e.getMessage(), backoff.toMillis());
                LockSupport.parkNanos(backoff.toNanos());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
