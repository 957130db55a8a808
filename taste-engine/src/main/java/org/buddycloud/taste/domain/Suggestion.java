package org.buddycloud.taste.domain;

/**
 * A channel suggested, and why: its {@code score} (its likeness from co-following, summed over what the user follows) or its {@code posts} of the
 * period (most active).
 */
public record Suggestion(ChannelFacts channel, Reason reason, double score, long posts, int followers) {

    public enum Reason {
        /** Followed by the people who follow what the user follows (or this channel). */
        CO_FOLLOWED,
        /** Busy lately: what a user with no follows yet is shown, and what fills up a short list. */
        MOST_ACTIVE
    }
}
