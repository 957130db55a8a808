package org.buddycloud.servicekit.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.VerificationKeys;
import org.buddycloud.servicekit.events.RevocationFeed;
import org.buddycloud.servicekit.kafka.KafkaTopics;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A service is ready when it can verify tokens — it has the signing keys and has read the revocations on Kafka —
 * and its topics exist. Whether the Kafka consumers reach the broker is the connector's own readiness check
 * ({@code smallrye-reactive-messaging}).
 */
@ApplicationScoped
public class ReadinessChecks {

    @Produces
    @Readiness
    HealthCheck signingKeys(VerificationKeys keys) {
        return () -> HealthCheckResponse.named("signing-keys").status(keys.available()).build();
    }

    @Produces
    @Readiness
    HealthCheck revocationFeed(RevocationFeed feed, RevocationList revocations) {
        return () -> HealthCheckResponse.named("kafka-revocation-feed")
                .status(feed.isReady())
                .withData("activeRevocations", revocations.size())
                .build();
    }

    @Produces
    @Readiness
    HealthCheck kafkaTopics(KafkaTopics topics) {
        return () -> HealthCheckResponse.named("kafka-topics").status(topics.ready()).build();
    }
}
