package org.buddycloud.servicekit.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttemptLimiterTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void blocksAKeyThatUsedUpItsWindowUntilTheWindowEnds() {
        AttemptLimiter limiter = new AttemptLimiter(3, Duration.ofMinutes(15), Clock.fixed(T0, ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.blockedFor("juliet").isEmpty());
            limiter.record("juliet");
        }
        assertEquals(Optional.of(Duration.ofMinutes(15)), limiter.blockedFor("juliet"));
        assertTrue(limiter.blockedFor("romeo").isEmpty(), "other keys are unaffected");
    }

    @Test
    void aNewWindowStartsAfreshAndResetClearsAKey() {
        AttemptLimiter early = new AttemptLimiter(1, Duration.ofMinutes(15), Clock.fixed(T0, ZoneOffset.UTC));
        early.record("juliet");
        assertTrue(early.blockedFor("juliet").isPresent());
        early.reset("juliet");
        assertTrue(early.blockedFor("juliet").isEmpty());
    }

    @Test
    void attemptsInAnExpiredWindowNoLongerCount() {
        MovableClock clock = new MovableClock();
        AttemptLimiter limiter = new AttemptLimiter(1, Duration.ofMinutes(15), clock);
        limiter.record("juliet");
        clock.now = T0.plus(Duration.ofMinutes(16));
        assertTrue(limiter.blockedFor("juliet").isEmpty());
        limiter.record("juliet");
        assertTrue(limiter.blockedFor("juliet").isPresent());
    }

    private static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
