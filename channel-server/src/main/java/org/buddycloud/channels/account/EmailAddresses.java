package org.buddycloud.channels.account;

import java.util.regex.Pattern;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** A deliberately plain check: one @, a dotted domain, no spaces or control characters, at most 254 characters. */
final class EmailAddresses {

    private static final Pattern ADDRESS = Pattern.compile("^[^@\\s\\p{Cntrl}<>]{1,64}@[^@\\s\\p{Cntrl}<>.]+(\\.[^@\\s\\p{Cntrl}<>.]+)+$");

    private EmailAddresses() {
    }

    static String validate(String email) {
        if (email == null || email.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "an e-mail address is required");
        }
        String trimmed = email.trim();
        if (trimmed.length() > 254 || !ADDRESS.matcher(trimmed).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "not a valid e-mail address: " + trimmed);
        }
        return trimmed;
    }
}
