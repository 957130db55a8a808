package org.buddycloud.media.events;

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
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.media.service.AccountMedia;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.TransactionalConsumer;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * An account deleted at the channel server takes every file it uploaded with it (channel {@code media-accounts}, the
 * accounts topic), in one transaction with the consumer's position, so a replay deletes nothing twice and nothing is
 * missed. The channel read model cannot do it: a file's channel may well outlive its uploader.
 */
@ApplicationScoped
public class DeletedAccounts {

    static final String CHANNEL = "media-accounts";
    private static final Duration APPLIED_EVENTS_KEPT = Duration.ofDays(7);

    private final AccountMedia media;
    private final Clock clock;
    private final TransactionalConsumer consumer;

    DeletedAccounts(AccountMedia media, DataSource dataSource, EventRecords records, Clock clock) {
        this.media = media;
        this.clock = clock;
        this.consumer = new TransactionalConsumer(CHANNEL, dataSource, records, clock);
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> apply(KafkaRecordBatch<String, byte[]> batch) {
        return consumer.apply(batch, event -> event.data() instanceof AccountDeleted deleted ? media.accountDeleted(deleted) : null);
    }

    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startWhereTheDatabaseSays() {
        return consumer.listener();
    }

    @Scheduled(every = "1h", delayed = "1m")
    void forgetOldEventIds() {
        consumer.forgetAppliedBefore(clock.instant().minus(APPLIED_EVENTS_KEPT));
    }

    void stop(@Observes ShutdownEvent event) {
        consumer.stop();
    }
}
