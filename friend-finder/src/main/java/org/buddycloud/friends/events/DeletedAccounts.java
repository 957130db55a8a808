package org.buddycloud.friends.events;

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
import org.buddycloud.friends.service.Claims;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.TransactionalConsumer;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * An account deleted at the channel server takes its claims with it (channel {@code friend-accounts}, the accounts
 * topic): in one transaction with the consumer's position, so a replay deletes nothing twice and nothing is missed.
 */
@ApplicationScoped
public class DeletedAccounts {

    static final String CHANNEL = "friend-accounts";
    private static final Logger LOG = Logger.getLogger(DeletedAccounts.class);

    private final Claims claims;
    private final Clock clock;
    private final TransactionalConsumer consumer;

    DeletedAccounts(Claims claims, DataSource dataSource, EventRecords records, Clock clock) {
        this.claims = claims;
        this.clock = clock;
        this.consumer = new TransactionalConsumer(CHANNEL, dataSource, records, clock);
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> apply(KafkaRecordBatch<String, byte[]> batch) {
        return consumer.apply(batch, event -> {
            if (event.data() instanceof AccountDeleted deleted) {
                int removed = claims.forget(deleted.jid());
                if (removed > 0) {
                    LOG.infof("%s was deleted: %d claims removed", deleted.jid(), removed);
                }
            }
            return null;
        });
    }

    public boolean caughtUp() {
        return consumer.caughtUp();
    }

    public boolean failing() {
        return consumer.failing();
    }

    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startWhereTheDatabaseSays() {
        return consumer.listener();
    }

    @Scheduled(every = "1h", delayed = "1m")
    void forgetOldEventIds() {
        consumer.forgetAppliedBefore(clock.instant().minus(Duration.ofDays(7)));
    }

    void stop(@Observes ShutdownEvent event) {
        consumer.stop();
    }
}
