package org.buddycloud.taste.domain;

import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** Whole numbers from request values: missing means the default, anything else must be a number. */
final class Numbers {

    private Numbers() {
    }

    static int whole(String name, String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
            throw new DomainException(Condition.BAD_REQUEST, name + " must be a whole number, not '" + shown + "'");
        }
    }
}
