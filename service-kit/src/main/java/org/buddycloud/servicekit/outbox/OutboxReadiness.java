package org.buddycloud.servicekit.outbox;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN once the relay has not reached Kafka for {@code buddycloud.outbox.unready-after}. */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = OutboxRelay.ENABLED, stringValue = "true")
public class OutboxReadiness implements HealthCheck {

    private final OutboxRelay relay;

    OutboxReadiness(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka-outbox")
                .status(relay.kafkaHealthy())
                .withData("lastBrokerContact", relay.lastKafkaContact().toString())
                .build();
    }
}
