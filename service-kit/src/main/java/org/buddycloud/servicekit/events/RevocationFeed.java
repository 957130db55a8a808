package org.buddycloud.servicekit.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.TokenRevocation;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.servicekit.auth.AuthConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads token revocations from {@code buddycloud.accounts} into this instance's {@link RevocationList}.
 *
 * <p>Every instance needs every revocation, so it reads all partitions itself, starting a
 * retention period back on each start (older revocations concern only expired tokens). Applying a
 * revocation twice changes nothing, so replays are harmless. Ready once it has read up to where the
 * topic ended at start and while it can reach the broker.
 */
@ApplicationScoped
public class RevocationFeed {

    private static final Duration READY_WITHOUT_CONTACT = Duration.ofSeconds(30);

    private final BroadcastConsumer consumer;
    private final Clock clock;

    RevocationFeed(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, TopicNames topics,
                   AuthConfig auth, RevocationList revocations, Clock clock) {
        this.clock = clock;
        this.consumer = new BroadcastConsumer("revocation-feed", bootstrapServers, List.of(topics.accounts()),
                clock.instant().minus(auth.revocationRetention()), event -> apply(event, revocations), clock);
    }

    void start(@Observes StartupEvent event) {
        consumer.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        consumer.stop();
    }

    /** Ready: caught up with the revocations that existed at start, and the broker answered recently. */
    public boolean isReady() {
        return consumer.caughtUp() && consumer.lastContact().plus(READY_WITHOUT_CONTACT).isAfter(clock.instant());
    }

    public Instant lastContact() {
        return consumer.lastContact();
    }

    private static void apply(CloudEvent<?> event, RevocationList revocations) {
        if (event.data() instanceof TokenRevocation revocation) {
            revocation.applyTo(revocations);
        }
    }
}
