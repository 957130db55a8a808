package org.buddycloud.servicekit.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * How the services create the topics they use (production clusters turn broker auto-creation off). The
 * defaults suit one local broker; a cluster sets partitions, replication and, through {@link #config()},
 * anything else a topic takes ({@code min.insync.replicas}, …).
 */
@ConfigMapping(prefix = "buddycloud.kafka.topics")
public interface KafkaTopicSettings {

    /** Create missing topics at start; off where an operator creates them by other means. */
    @WithDefault("true")
    boolean create();

    /** Partitions of a new event topic: the most replicas of one consumer group that share the work. */
    @WithDefault("3")
    int partitions();

    @WithDefault("1")
    short replicationFactor();

    /**
     * How long events are kept: for ever by default, because read models and indexes are rebuilt from the
     * beginning of the topics (a fresh database replays them all).
     */
    @WithDefault("-1")
    long retentionMs();

    /** How long set-aside records are kept for an operator to look at. */
    @WithDefault("14d")
    Duration deadLetterRetention();

    /** More settings for every topic created, e.g. {@code min.insync.replicas=2}. */
    Map<String, String> config();

    /** How long one attempt to reach the cluster may take before the next one, in the background. */
    @WithDefault("10s")
    Duration timeout();
}
