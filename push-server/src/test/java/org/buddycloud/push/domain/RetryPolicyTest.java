package org.buddycloud.push.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(1), 5);

    @Test
    void backsOffExponentiallyUpToTheLongestWait() {
        assertEquals(NOW.plusSeconds(5), policy.nextAttempt(1, NOW, Optional.empty()).orElseThrow());
        assertEquals(NOW.plusSeconds(10), policy.nextAttempt(2, NOW, Optional.empty()).orElseThrow());
        assertEquals(NOW.plusSeconds(20), policy.nextAttempt(3, NOW, Optional.empty()).orElseThrow());
        assertEquals(NOW.plusSeconds(40), policy.nextAttempt(4, NOW, Optional.empty()).orElseThrow());
        RetryPolicy many = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(1), 50);
        assertEquals(NOW.plusSeconds(60), many.nextAttempt(40, NOW, Optional.empty()).orElseThrow(), "capped, and no overflow");
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        assertTrue(policy.nextAttempt(5, NOW, Optional.empty()).isEmpty());
    }

    @Test
    void aProvidersRetryAfterWinsWhenItAsksForLonger() {
        assertEquals(NOW.plusSeconds(120), policy.nextAttempt(1, NOW, Optional.of(Duration.ofMinutes(2))).orElseThrow());
        assertEquals(NOW.plusSeconds(5), policy.nextAttempt(1, NOW, Optional.of(Duration.ofSeconds(1))).orElseThrow());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 3));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 3));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
    }
}
