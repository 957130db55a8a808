package org.buddycloud.push.service;

import io.quarkus.test.Mock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The push server's planning clock in the tests: the system clock, moved on by a test that needs quiet hours to
 * end or a digest to fall due. The tokens' clock is not moved.
 */
@Mock
@jakarta.enterprise.context.ApplicationScoped
public class AdjustablePushClock extends PushClock {

    private volatile Duration offset = Duration.ZERO;

    AdjustablePushClock() {
        super(Clock.systemUTC());
    }

    @Override
    public Instant now() {
        return super.now().plus(offset);
    }

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        offset = Duration.ZERO;
    }
}
