package org.buddycloud.channels.domain;

import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * XEP-0059 paging of a newest-first list: at most {@code max} items, {@code after} an item (older
 * ones, the next page) or {@code before} one (newer ones, the previous page).
 */
public record Page(int max, String after, String before) {

    public static final int LIMIT = 200;

    public Page {
        if (max < 1 || max > LIMIT) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_MAX_VALUE_PROVIDED,
                    "max must be between 1 and " + LIMIT);
        }
        if (after != null && before != null) {
            throw new DomainException(Condition.BAD_REQUEST, "use either after or before, not both");
        }
    }

    public static Page first(int max) {
        return new Page(max, null, null);
    }
}
