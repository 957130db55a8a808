package org.buddycloud.servicekit.readmodel;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready to decide permissions until the read model has caught up with the channel events, and while it cannot apply them. */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = ChannelReadModel.ENABLED, stringValue = "true")
public class ReadModelReadiness implements HealthCheck {

    private final ChannelReadModel model;

    ReadModelReadiness(ChannelReadModel model) {
        this.model = model;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("channel-read-model").status(model.caughtUp() && !model.failing()).build();
    }
}
