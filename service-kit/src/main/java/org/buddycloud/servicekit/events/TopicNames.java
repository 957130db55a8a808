package org.buddycloud.servicekit.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.buddycloud.contracts.events.Topic;

/** The Kafka topic names; defaults are those of ARCHITECTURE.md. */
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
