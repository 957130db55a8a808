package org.buddycloud.channels.account;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * Password rules. Passwords are normalised with the PRECIS OpaqueString profile (RFC 8265, the
 * successor of SASLprep that SCRAM names), so the same password typed on any client derives the
 * same keys, whether it arrives over HTTP Basic or SASL.
 */
public final class Passwords {

    private static final int MAX_BYTES = 1023;

    private Passwords() {
    }

    /** The normalised password, or a {@code bad-request} refusal saying what is wrong with it. */
    public static String normaliseNew(String password, int minimumLength) {
        if (password == null || password.isEmpty()) {
            throw new DomainException(Condition.BAD_REQUEST, "a password is required");
        }
        String normalised = normalise(password)
                .orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "the password contains characters that are not allowed"));
        if (normalised.codePointCount(0, normalised.length()) < minimumLength) {
            throw new DomainException(Condition.BAD_REQUEST, "the password must have at least " + minimumLength + " characters");
        }
        if (normalised.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new DomainException(Condition.BAD_REQUEST, "the password is longer than " + MAX_BYTES + " bytes");
        }
        return normalised;
    }

    /** The normalised form of a password being checked; empty when it cannot be any valid password. */
    public static Optional<String> normalise(String password) {
        try {
            return Optional.of(PrecisProfiles.OPAQUE_STRING.enforce(password));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
