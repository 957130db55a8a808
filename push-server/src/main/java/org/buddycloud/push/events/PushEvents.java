package org.buddycloud.push.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.buddycloud.push.delivery.DeliveryWorker;
import org.buddycloud.push.service.PushPlanner;
import org.buddycloud.push.store.FirstStart;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.TransactionalConsumer;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The push server's consumer of the channel events (channel {@code push-notices}: accounts, channels, posts,
 * memberships): each event is planned into deliveries in one transaction with the consumer's position and the
 * event's id, so a replayed topic or a restart makes no notice twice; the senders are woken after the commit.
 * A partition the database has no position for is read from this push server's first start, not from the
 * beginning: no one is told of the past.
 */
@ApplicationScoped
public class PushEvents {

    static final String CHANNEL = "push-notices";
    private static final Duration APPLIED_EVENTS_KEPT = Duration.ofDays(7);

    private final PushPlanner planner;
    private final DeliveryWorker worker;
    private final FirstStart firstStart;
    private final Clock clock;
    private final TransactionalConsumer consumer;

    PushEvents(PushPlanner planner, DeliveryWorker worker, FirstStart firstStart, DataSource dataSource, EventRecords records, Clock clock) {
        this.planner = planner;
        this.worker = worker;
        this.firstStart = firstStart;
        this.clock = clock;
        this.consumer = new TransactionalConsumer(CHANNEL, dataSource, records, clock);
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> apply(KafkaRecordBatch<String, byte[]> batch) {
        return consumer.apply(batch, event -> planner.plan(event.data(), event.time()) ? worker::wake : null);
    }

    /** Read up to where the topics ended when their partitions were assigned. */
    public boolean caughtUp() {
        return consumer.caughtUp();
    }

    /** True while an event cannot be applied (the database is away). */
    public boolean failing() {
        return consumer.failing();
    }

    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startWhereTheDatabaseSays() {
        return consumer.listener(() -> Optional.of(firstStart.at()));
    }

    @Scheduled(every = "1h", delayed = "1m")
    void forgetOldEventIds() {
        consumer.forgetAppliedBefore(clock.instant().minus(APPLIED_EVENTS_KEPT));
    }

    void stop(@Observes ShutdownEvent event) {
        consumer.stop();
    }
}
