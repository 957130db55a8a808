package org.buddycloud.gateway.edge;

import java.time.Duration;

/**
 * A token bucket: {@code burst} requests at once, refilled at {@code perSecond}. Not thread-safe on its own; the
 * {@link RateLimiter} serialises access to each bucket.
 */
final class TokenBucket {

    private final double perSecond;
    private final double burst;
    private double tokens;
    private long lastNanos;

    TokenBucket(double perSecond, int burst, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token: {@link Duration#ZERO} when there was one, else how long until there will be. */
    Duration take(long nowNanos) {
        double elapsed = Math.max(0, nowNanos - lastNanos) / 1e9;
        tokens = Math.min(burst, tokens + elapsed * perSecond);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9));
    }
}
