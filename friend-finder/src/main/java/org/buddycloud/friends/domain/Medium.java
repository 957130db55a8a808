package org.buddycloud.friends.domain;

import java.util.Locale;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** What kind of identifier: a mail address or a phone number (Matrix's 3PID media). */
public enum Medium {
    EMAIL("email"),
    MSISDN("msisdn");

    private final String wireName;

    Medium(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Medium of(String value) {
        if (value != null) {
            String wanted = value.trim().toLowerCase(Locale.ROOT);
            for (Medium medium : values()) {
                if (medium.wireName.equals(wanted) || wanted.equals("phone") && medium == MSISDN) {
                    return medium;
                }
            }
        }
        throw new DomainException(Condition.BAD_REQUEST, "medium is email or msisdn (a phone number)");
    }
}
