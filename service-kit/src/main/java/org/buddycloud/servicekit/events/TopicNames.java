package org.buddycloud.servicekit.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.buddycloud.contracts.events.Topic;

/** The Kafka topic names; defaults are those of ARCHITECTURE.md. Consumers name the same keys in their channel configuration. */
@ConfigMapping(prefix = "buddycloud.topics")
public interface TopicNames {

    @WithDefault("buddycloud.accounts")
    String accounts();

    @WithDefault("buddycloud.channels")
    String channels();

    @WithDefault("buddycloud.posts")
    String posts();

    @WithDefault("buddycloud.memberships")
    String memberships();

    @WithDefault("buddycloud.media")
    String media();

    /** Where every consumer sets aside the records it cannot read (malformed, or of a type it does not know). */
    @WithDefault("buddycloud.dead-letters")
    String deadLetters();

    /**
     * A service's own dead-letter topic for work it gave up (the push server's undeliverable notices), created with
     * the others and kept as long as the dead letters; none when the service has no such work.
     */
    java.util.Optional<String> serviceDeadLetters();

    /** The event topics, dead letters apart. */
    default java.util.List<String> events() {
        return java.util.Arrays.stream(Topic.values()).map(this::of).toList();
    }

    default String of(Topic topic) {
        return switch (topic) {
            case ACCOUNTS -> accounts();
            case CHANNELS -> channels();
            case POSTS -> posts();
            case MEMBERSHIPS -> memberships();
            case MEDIA -> media();
        };
    }
}
