package org.buddycloud.channels.xmpp.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How channel server replicas of one domain find each other through their shared database. */
@ConfigMapping(prefix = "buddycloud.cluster")
public interface ClusterConfig {

    /**
     * This replica's name, unique among the replicas of the domain (a pod's name). Without one a new name is made at each
     * start; a replica that restarts under its old name takes over what it left (its stale sessions are removed at once).
     */
    Optional<String> replicaId();

    /** How often a replica says it is alive. */
    @WithDefault("2s")
    Duration heartbeat();

    /** A replica silent this long is taken for dead: its sessions are removed and their contacts see them go. */
    @WithDefault("10s")
    Duration deadAfter();
}
