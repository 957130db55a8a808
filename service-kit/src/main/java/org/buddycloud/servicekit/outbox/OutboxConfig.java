package org.buddycloud.servicekit.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "buddycloud.outbox")
public interface OutboxConfig {

    /**
     * Read at build time ({@link OutboxRelay#ENABLED}): services that write events set it in their
     * application.properties; changing it at run time changes nothing.
     */
    @WithDefault("false")
    boolean enabled();

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
