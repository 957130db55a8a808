package org.buddycloud.gateway.live;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the live feed knows who stands where (it read the membership topics up to where they were at start). */
@Readiness
@ApplicationScoped
public class LiveReadiness implements HealthCheck {

    private final LiveFeed feed;
    private final LiveRoutes routes;

    LiveReadiness(LiveFeed feed, LiveRoutes routes) {
        this.feed = feed;
        this.routes = routes;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("live-feed").status(feed.caughtUp())
                .withData("heldEvents", feed.hub().heldEvents())
                .withData("position", feed.hub().position().encode())
                .withData("openStreams", routes.openStreams())
                .build();
    }
}
