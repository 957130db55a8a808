package org.buddycloud.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(new RateLimiter.Rate(2, 3), 100, nanos::get);

    @Test
    void allowsTheBurstThenTheRateAndSaysHowLongToWait() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, limiter.take("a"));
        }
        Duration wait = limiter.take("a");
        assertEquals(Duration.ofMillis(500), wait, "one token every 500 ms at 2/s");
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertEquals(Duration.ZERO, limiter.take("a"));
        assertTrue(limiter.take("a").compareTo(Duration.ZERO) > 0);
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        for (int i = 0; i < 3; i++) {
            limiter.take("a");
        }
        assertEquals(Duration.ZERO, limiter.take("b"));
    }

    @Test
    void aRateOfZeroLimitsNothing() {
        RateLimiter off = new RateLimiter(new RateLimiter.Rate(0, 0), 10, nanos::get);
        for (int i = 0; i < 1000; i++) {
            assertEquals(Duration.ZERO, off.take("a"));
        }
    }
}
