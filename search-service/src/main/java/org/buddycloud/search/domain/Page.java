package org.buddycloud.search.domain;

import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Index-based paging as the directory's RSM (PROTOCOL.md §6): {@code max} hits from position {@code index}. Bounded,
 * because a deep page costs an engine as much as all the pages before it.
 */
public record Page(int index, int max) {

    public static final int DEFAULT_MAX = 20;
    public static final int LARGEST_MAX = 100;
    /**
     * Further than anybody reads through: a page must end within the first 10,000 hits (Elasticsearch's default
     * {@code index.max_result_window}); deeper pages are refused rather than slow.
     */
    public static final int DEEPEST_END = 10_000;

    public Page {
        if (max < 1 || max > LARGEST_MAX) {
            throw new DomainException(Condition.BAD_REQUEST, "max must lie in [1, " + LARGEST_MAX + "]");
        }
        if (index < 0 || index > DEEPEST_END - max) {
            throw new DomainException(Condition.BAD_REQUEST, "index must lie in [0, " + (DEEPEST_END - max)
                    + "]: a page ends within the first " + DEEPEST_END + " hits");
        }
    }

    /** From request parameters that may be missing (defaults) or not numbers at all (refused). */
    public static Page of(String index, String max) {
        return new Page(number("index", index, 0), number("max", max, DEFAULT_MAX));
    }

    public static Page first(int max) {
        return new Page(0, max);
    }

    /** How many hits an engine must rank to answer this page. */
    public int end() {
        return index + max;
    }

    private static int number(String name, String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, name + " must be a whole number, not '" + shortened(value) + "'");
        }
    }

    static String shortened(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
