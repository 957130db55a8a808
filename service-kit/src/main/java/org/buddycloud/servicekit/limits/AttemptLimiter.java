package org.buddycloud.servicekit.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Counts attempts per key (an account, a client address) in fixed windows and says when a key
 * has used up its allowance. Memory is bounded: the least recently seen keys are forgotten first.
 * Counts are per process; behind a load balancer each replica allows its own share.
 */
public final class AttemptLimiter {

    private record Window(Instant start, int attempts) {
    }

    private final int maxAttempts;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Window> windows;

    public AttemptLimiter(int maxAttempts, Duration window, Clock clock) {
        this.maxAttempts = maxAttempts;
        this.window = window;
        this.clock = clock;
        this.windows = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(window).build();
    }

    /** How long the key must wait, if it has no attempts left in its current window. */
    public Optional<Duration> blockedFor(String key) {
        Instant now = clock.instant();
        Window current = windows.getIfPresent(key);
        if (current == null || !current.start().plus(window).isAfter(now) || current.attempts() < maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, current.start().plus(window)));
    }

    public void record(String key) {
        Instant now = clock.instant();
        windows.asMap().merge(key, new Window(now, 1), (old, fresh) ->
                old.start().plus(window).isAfter(now) ? new Window(old.start(), old.attempts() + 1) : fresh);
    }

    public void reset(String key) {
        windows.invalidate(key);
    }
}
