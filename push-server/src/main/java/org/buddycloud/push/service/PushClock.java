package org.buddycloud.push.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * The time the push server plans by (quiet hours, digests, retries): the system clock, kept apart from the
 * clock tokens are checked with so that the tests can move it without expiring their tokens.
 */
@ApplicationScoped
public class PushClock {

    private final Clock clock;

    PushClock(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }
}
