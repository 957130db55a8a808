package org.buddycloud.taste.domain;

import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Index-based paging as the directory's RSM (PROTOCOL.md §6): {@code max} suggestions from position {@code index}.
 * A list of suggestions is short by nature; deep pages are refused rather than computed.
 */
public record Page(int index, int max) {

    public static final int DEFAULT_MAX = 10;
    public static final int LARGEST_MAX = 100;
    public static final int DEEPEST_END = 1_000;

    public Page {
        if (max < 1 || max > LARGEST_MAX) {
            throw new DomainException(Condition.BAD_REQUEST, "max must lie in [1, " + LARGEST_MAX + "]");
        }
        if (index < 0 || index > DEEPEST_END - max) {
            throw new DomainException(Condition.BAD_REQUEST, "index must lie in [0, " + (DEEPEST_END - max) + "]");
        }
    }

    /** From request values that may be missing (defaults) or not numbers at all (refused). */
    public static Page of(String index, String max) {
        return new Page(Numbers.whole("index", index, 0), Numbers.whole("max", max, DEFAULT_MAX));
    }

    public int end() {
        return index + max;
    }
}
