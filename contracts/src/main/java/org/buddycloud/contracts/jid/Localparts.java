package org.buddycloud.contracts.jid;

import java.nio.charset.StandardCharsets;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * The localpart rules of RFC 7622 §3.3: the PRECIS UsernameCaseMapped profile (RFC 8265), the
 * characters XMPP further excludes, and at most 1023 bytes. Used for account user names, so that
 * an account name is exactly what an XMPP client will log in with.
 */
public final class Localparts {

    private static final String EXCLUDED = "\"&'/:<>@";
    private static final int MAX_BYTES = 1023;

    private Localparts() {
    }

    /** Returns the normalised (case-mapped) localpart or throws {@link InvalidJidException} with the reason. */
    public static String normalise(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            throw new InvalidJidException("the user name must not be empty");
        }
        String prepared;
        try {
            prepared = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(candidate);
        } catch (IllegalArgumentException e) {
            throw new InvalidJidException("the user name contains characters not allowed in an XMPP address");
        }
        for (int i = 0; i < prepared.length(); i++) {
            if (EXCLUDED.indexOf(prepared.charAt(i)) >= 0) {
                throw new InvalidJidException("the user name must not contain " + prepared.charAt(i));
            }
        }
        if (prepared.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidJidException("the user name is longer than " + MAX_BYTES + " bytes");
        }
        return prepared;
    }
}
