package org.buddycloud.taste;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.taste.domain.ActivityLedger;
import org.buddycloud.taste.domain.ChannelCatalog;
import org.buddycloud.taste.domain.CoFollowing;
import org.buddycloud.taste.domain.FollowGraph;
import org.buddycloud.taste.domain.Taste;
import org.buddycloud.taste.domain.TasteEvents;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The composition root: one model per process (each replica keeps its own, fed by the events), and its gauges. */
public class TasteBeans {

    @Produces
    @Singleton
    FollowGraph graph(MeterRegistry metrics) {
        FollowGraph graph = new FollowGraph();
        Gauge.builder("buddycloud.taste.follow.edges", graph, FollowGraph::edges)
                .description("follow edges in this replica's graph").register(metrics);
        return graph;
    }

    @Produces
    @Singleton
    ChannelCatalog catalog(MeterRegistry metrics) {
        ChannelCatalog catalog = new ChannelCatalog();
        Gauge.builder("buddycloud.taste.channels", catalog, ChannelCatalog::size)
                .description("channels this replica knows of").register(metrics);
        return catalog;
    }

    @Produces
    @Singleton
    ActivityLedger activity() {
        return new ActivityLedger();
    }

    @Produces
    @Singleton
    TasteEvents events(FollowGraph graph, ChannelCatalog catalog, ActivityLedger activity) {
        return new TasteEvents(graph, catalog, activity);
    }

    @Produces
    @Singleton
    Taste taste(FollowGraph graph, ChannelCatalog catalog, ActivityLedger activity, Clock clock, TasteConfig config,
                @ConfigProperty(name = "buddycloud.domain", defaultValue = "localhost") String domain) {
        return new Taste(graph, catalog, activity, new Audience(new Permissions(domain)), clock,
                new CoFollowing.Limits(config.followersSampled(), config.followsSampled()));
    }
}
