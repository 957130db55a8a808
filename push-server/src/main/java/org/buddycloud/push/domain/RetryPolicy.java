package org.buddycloud.push.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed delivery is tried again: exponential back-off from {@code first}, doubling up to {@code longest},
 * at most {@code maxAttempts} attempts in all; a provider's {@code Retry-After} is honoured when it asks for longer.
 * Past the last attempt the delivery is given up (and goes to the dead-letter topic).
 */
public record RetryPolicy(Duration first, Duration longest, int maxAttempts) {

    public RetryPolicy {
        if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("a retry policy needs 0 < first <= longest and at least one attempt");
        }
    }

    /** When to try again after attempt number {@code attempts} (1 for the first) failed at {@code now}; empty: give up. */
    public Optional<Instant> nextAttempt(int attempts, Instant now, Optional<Duration> retryAfter) {
        if (attempts >= maxAttempts) {
            return Optional.empty();
        }
        Duration backoff = first;
        for (int i = 1; i < attempts && backoff.compareTo(longest) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        Duration capped = backoff.compareTo(longest) > 0 ? longest : backoff;
        Duration wait = retryAfter.filter(asked -> asked.compareTo(capped) > 0).orElse(capped);
        return Optional.of(now.plus(wait));
    }
}
