package org.buddycloud.channels.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "buddycloud.outbox")
public interface OutboxConfig {

    /** The relay looks for events this often even when no commit woke it (events of other replicas). */
    @WithDefault("1s")
    Duration pollInterval();

    @WithDefault("500")
    int batchSize();

    /** Longest pause between attempts while Kafka is unreachable. */
    @WithDefault("10s")
    Duration maxBackoff();

    /**
     * Readiness turns DOWN when Kafka has been unreachable this long. Shorter outages are absorbed:
     * changes are accepted and their events wait in the outbox.
     */
    @WithDefault("60s")
    Duration unreadyAfter();
}
