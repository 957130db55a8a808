package org.buddycloud.taste;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The taste engine's settings ({@code buddycloud.taste.*}); README.md lists them. */
@ConfigMapping(prefix = "buddycloud.taste")
public interface TasteConfig {

    /**
     * Followers of one channel a query walks at most: beyond this a channel's followers are sampled and the counts
     * scaled up, so that a channel everybody follows costs no more than a popular one.
     */
    @WithDefault("1000")
    int followersSampled();

    /** Follows of one user a query walks at most. */
    @WithDefault("200")
    int followsSampled();
}
