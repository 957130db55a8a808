package org.buddycloud.taste.domain;

import java.util.List;

/** One page of suggestions: those from position {@code index}, of {@code count} there are in all. */
public record Suggestions(List<Suggestion> items, int index, int count) {

    public static final Suggestions NONE = new Suggestions(List.of(), 0, 0);

    public Suggestions {
        items = List.copyOf(items);
    }

    /** The page of a full ranking. */
    static Suggestions page(List<Suggestion> ranked, Page page) {
        int from = Math.min(page.index(), ranked.size());
        int to = Math.min(page.end(), ranked.size());
        return new Suggestions(ranked.subList(from, to), page.index(), ranked.size());
    }
}
