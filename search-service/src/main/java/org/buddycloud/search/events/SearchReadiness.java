package org.buddycloud.search.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.search.domain.SearchIndex;
import org.buddycloud.search.xmpp.DirectoryComponent;
import org.buddycloud.servicekit.readmodel.ChannelReadModel;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the index has applied the topics up to where they ended at start (a new index: once it has rebuilt
 * itself) and the read model that decides who may find what has too. Reports the engine, how many events the index
 * is behind, and whether the directory is connected to the channel server over XMPP.
 */
@Readiness
@ApplicationScoped
public class SearchReadiness implements HealthCheck {

    private final IndexFeed feed;
    private final ChannelReadModel readModel;
    private final SearchIndex index;
    private final DirectoryComponent directory;

    SearchReadiness(IndexFeed feed, ChannelReadModel readModel, SearchIndex index, DirectoryComponent directory) {
        this.feed = feed;
        this.readModel = readModel;
        this.index = index;
        this.directory = directory;
    }

    @Override
    public HealthCheckResponse call() {
        boolean indexReady = feed.caughtUp() && !feed.failing();
        boolean readersReady = readModel.caughtUp() && !readModel.failing();
        return HealthCheckResponse.named("search")
                .status(indexReady && readersReady)
                .withData("engine", index.engine())
                .withData("index", feed.failing() ? "failing" : feed.caughtUp() ? "caught up" : "catching up")
                .withData("lag", feed.lag())
                .withData("readers", readModel.failing() ? "failing" : readModel.caughtUp() ? "caught up" : "catching up")
                // the XMPP directory is reported, not waited for: REST search works without it
                .withData("directory", !directory.configured() ? "off" : directory.online() ? "connected" : "connecting")
                .build();
    }
}
