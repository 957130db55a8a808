package org.buddycloud.push.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.push.delivery.DeliveryWorker;
import org.buddycloud.push.delivery.FcmSender;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the channel events are read up to where they ended at assignment and both the consumer and the
 * senders reach the database. FCM without credentials is reported here ({@code fcm: not configured}) but does not
 * make the service unready: Web Push and mail work without it.
 */
@Readiness
@ApplicationScoped
public class PushReadiness implements HealthCheck {

    private final PushEvents events;
    private final DeliveryWorker worker;
    private final FcmSender fcm;

    PushReadiness(PushEvents events, DeliveryWorker worker, FcmSender fcm) {
        this.events = events;
        this.worker = worker;
        this.fcm = fcm;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("push")
                .status(events.caughtUp() && !events.failing() && !worker.failing())
                .withData("events", events.failing() ? "failing" : events.caughtUp() ? "caught up" : "catching up")
                .withData("senders", worker.failing() ? "failing" : "up")
                .withData("fcm", fcm.configured() ? "configured" : "not configured")
                .build();
    }
}
