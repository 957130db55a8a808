package org.buddycloud.search.domain;

import java.util.List;

/** A post found, with the passages that matched ({@code <em>} around the matching words, the rest HTML-escaped). */
public record PostHit(PostEntry post, List<String> highlights) {
    public PostHit {
        highlights = List.copyOf(highlights);
    }
}
