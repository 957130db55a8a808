package org.buddycloud.contracts.problem;

import java.time.Duration;

/** Too many attempts; the client may try again after {@link #retryAfter()}. */
public class RateLimitedException extends DomainException {

    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(Condition.POLICY_VIOLATION, message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
