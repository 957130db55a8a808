package org.buddycloud.search.domain;

import java.util.List;

/**
 * One page of hits: those from position {@code index} of {@code total} matches (the RSM {@code first index} and
 * {@code count}). Matches are counted up to {@link Page#DEEPEST_END}, as far as pages go: past it, counting every match
 * would cost a query more than finding its best ones.
 */
public record Hits<T>(long total, int index, List<T> hits) {

    public Hits {
        hits = List.copyOf(hits);
    }

    public static <T> Hits<T> none(Page page) {
        return new Hits<>(0, page.index(), List.of());
    }
}
