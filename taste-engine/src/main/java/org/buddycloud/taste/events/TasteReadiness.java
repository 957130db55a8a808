package org.buddycloud.taste.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.taste.domain.ChannelCatalog;
import org.buddycloud.taste.domain.FollowGraph;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the model has read the events up to where the topics ended at start: before that it would suggest from half a graph. */
@Readiness
@ApplicationScoped
public class TasteReadiness implements HealthCheck {

    private final TasteFeed feed;
    private final FollowGraph graph;
    private final ChannelCatalog catalog;

    TasteReadiness(TasteFeed feed, FollowGraph graph, ChannelCatalog catalog) {
        this.feed = feed;
        this.graph = graph;
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("taste")
                .status(feed.caughtUp())
                .withData("model", feed.caughtUp() ? "caught up" : "catching up")
                .withData("follow edges", graph.edges())
                .withData("channels", catalog.size())
                .build();
    }
}
