package org.buddycloud.media.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the media bucket exists and answers (it is created here if it went missing). */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {

    private final ObjectStore store;

    StorageReadiness(ObjectStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            return HealthCheckResponse.named("s3").status(store.ensureBucket()).build();
        } catch (StorageException e) {
            return HealthCheckResponse.named("s3").down().withData("error", e.getMessage()).build();
        }
    }
}
