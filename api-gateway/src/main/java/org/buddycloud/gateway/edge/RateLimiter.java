package org.buddycloud.gateway.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Requests per key (an address, an account) through a {@link TokenBucket} each. Buckets of keys not seen for a
 * while are forgotten (a full bucket is what a new one is anyway), and at most {@code maxKeys} are kept, so a flood
 * of addresses cannot grow it without bound. Each replica of the gateway limits on its own: behind a load balancer
 * spreading clients over N replicas a client gets up to N times the rate, which the configured rate allows for.
 */
public final class RateLimiter {

    /** What a limit allows: a sustained rate and a burst. A rate of 0 or less means no limit. */
    public record Rate(double perSecond, int burst) {
        public boolean unlimited() {
            return perSecond <= 0;
        }
    }

    private final Rate rate;
    private final LongSupplier nanoTime;
    private final Cache<String, TokenBucket> buckets;

    public RateLimiter(Rate rate, int maxKeys, LongSupplier nanoTime) {
        this.rate = rate;
        this.nanoTime = nanoTime;
        // idle long enough to have refilled completely: forgetting it changes nothing
        long refillSeconds = rate.unlimited() ? 1 : (long) Math.ceil(rate.burst() / rate.perSecond()) + 1;
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(refillSeconds, TimeUnit.SECONDS).build();
    }

    /** {@link Duration#ZERO} when {@code key} may go on; else how long it should wait (the {@code Retry-After}). */
    public Duration take(String key) {
        if (rate.unlimited()) {
            return Duration.ZERO;
        }
        long now = nanoTime.getAsLong();
        TokenBucket bucket = buckets.get(key, k -> new TokenBucket(rate.perSecond(), Math.max(1, rate.burst()), now));
        synchronized (bucket) {
            return bucket.take(now);
        }
    }
}
