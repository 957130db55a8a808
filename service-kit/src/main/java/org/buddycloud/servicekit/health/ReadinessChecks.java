package org.buddycloud.servicekit.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.VerificationKeys;
import org.buddycloud.servicekit.events.RevocationFeed;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** A service is ready when it can verify tokens: it has the signing keys and follows revocations on Kafka. */
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
                .withData("lastBrokerContact", feed.lastContact().toString())
                .withData("activeRevocations", revocations.size())
                .build();
    }
}
