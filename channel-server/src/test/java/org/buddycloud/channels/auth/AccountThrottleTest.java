package org.buddycloud.channels.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.servicekit.limits.AttemptLimiter;
import org.junit.jupiter.api.Test;

class AccountThrottleTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private final AccountThrottle throttle = new AccountThrottle(new AttemptLimiter(3, Duration.ofMinutes(15), clock),
            new AttemptLimiter(5, Duration.ofMinutes(15), clock), "localhost");

    @Test
    void oneAccountGuessedFromManyAddressesIsStopped() {
        for (int i = 0; i < 3; i++) {
            throttle.record("juliet", "10.0.0." + i);
        }
        assertThrows(RateLimitedException.class, () -> throttle.checkAllowed("juliet", "10.0.0.99"));
        assertThrows(RateLimitedException.class, () -> throttle.checkAllowed("Juliet@localhost", "10.0.0.99"),
                "the user name and the bare JID are the same account");
    }

    @Test
    void oneAddressGuessingManyAccountsIsStopped() {
        for (int i = 0; i < 5; i++) {
            throttle.record("user" + i, "10.0.0.1");
        }
        assertThrows(RateLimitedException.class, () -> throttle.checkAllowed("someone-new", "10.0.0.1"));
        assertDoesNotThrow(() -> throttle.checkAllowed("someone-new", "10.0.0.2"));
    }

    @Test
    void aSuccessfulLoginForgivesTheAccountsFailures() {
        throttle.record("romeo", "10.0.0.1");
        throttle.record("romeo", "10.0.0.1");
        throttle.forgive("romeo");
        throttle.record("romeo", "10.0.0.1");
        assertDoesNotThrow(() -> throttle.checkAllowed("romeo", "10.0.0.3"));
    }
}
