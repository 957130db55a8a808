package org.buddycloud.servicekit.events;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.TokenRevocation;
import org.buddycloud.servicekit.auth.AuthConfig;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads token revocations from {@code buddycloud.accounts} into this instance's {@link RevocationList}.
 *
 * <p>Every instance needs every revocation, so each reads all partitions in a consumer group of its own
 * (channel {@code revocations}, group {@code <application>-revocations-<uuid>}), starting a retention period
 * back on each start: older revocations concern only expired tokens. Ready once it has read up to where the
 * topic ended at start; the connector's own health check tells whether the broker is reachable.
 */
@ApplicationScoped
public class RevocationFeed {

    static final String CHANNEL = "revocations";

    private final RevocationList revocations;
    private final EventRecords records;
    private final AuthConfig auth;
    private final Clock clock;
    private final ReplicaCursor cursor = new ReplicaCursor();

    RevocationFeed(RevocationList revocations, EventRecords records, AuthConfig auth, Clock clock) {
        this.revocations = revocations;
        this.records = records;
        this.auth = auth;
        this.clock = clock;
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> apply(KafkaRecordBatch<String, byte[]> batch) {
        return cursor.onceEach(batch, records, CHANNEL, event -> {
            if (event.data() instanceof TokenRevocation revocation) {
                revocation.applyTo(revocations);
            }
        });
    }

    /** Ready: caught up with the revocations that existed at start. */
    public boolean isReady() {
        return cursor.caughtUp();
    }

    /** Each partition starts a retention period back (or at its end, when nothing is that recent). */
    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startARetentionPeriodBack() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                cursor.assigned(consumer, partitions,
                        fresh -> ReplicaCursor.seekToTime(consumer, fresh, clock.instant().minus(auth.revocationRetention())));
            }
        };
    }
}
