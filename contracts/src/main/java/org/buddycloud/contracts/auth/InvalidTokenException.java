package org.buddycloud.contracts.auth;

/** A bearer token that must be refused; {@link #reason()} says why (for logs and metrics, not for the caller). */
public class InvalidTokenException extends Exception {

    public enum Reason {
        MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, WRONG_ISSUER, WRONG_AUDIENCE, REVOKED
    }

    private final Reason reason;

    public InvalidTokenException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
