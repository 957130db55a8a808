package org.buddycloud.push.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one attempt to hand a message to a provider (FCM, a Web Push service, the mail server), in the
 * terms the queue acts on: done; try again (perhaps after the provider's own {@code Retry-After}); the target is
 * gone for good (FCM {@code UNREGISTERED}, Web Push 404/410), so the device is removed; or refused for a reason
 * that trying again will not change, so it is given up at once.
 */
public record DeliveryOutcome(Result result, String error, Optional<Duration> retryAfter) {

    public enum Result { DELIVERED, RETRY, TARGET_GONE, REFUSED }

    public DeliveryOutcome {
        Objects.requireNonNull(result, "result");
        retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
    }

    public static DeliveryOutcome delivered() {
        return new DeliveryOutcome(Result.DELIVERED, null, Optional.empty());
    }

    public static DeliveryOutcome retry(String error) {
        return new DeliveryOutcome(Result.RETRY, error, Optional.empty());
    }

    public static DeliveryOutcome retryAfter(String error, Duration after) {
        return new DeliveryOutcome(Result.RETRY, error, Optional.ofNullable(after));
    }

    public static DeliveryOutcome targetGone(String error) {
        return new DeliveryOutcome(Result.TARGET_GONE, error, Optional.empty());
    }

    public static DeliveryOutcome refused(String error) {
        return new DeliveryOutcome(Result.REFUSED, error, Optional.empty());
    }
}
