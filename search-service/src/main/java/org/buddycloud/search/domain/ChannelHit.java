package org.buddycloud.search.domain;

import java.util.List;

/**
 * A channel found: by text (with its matching passages) or near a point (with its distance in kilometres, else null).
 */
public record ChannelHit(ChannelEntry channel, Double distanceKm, List<String> highlights) {
    public ChannelHit {
        highlights = List.copyOf(highlights);
    }
}
