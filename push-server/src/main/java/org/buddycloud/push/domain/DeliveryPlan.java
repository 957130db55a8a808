package org.buddycloud.push.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * When a notice that a user wants goes out on one kind of target. Devices (FCM, Web Push) get it now, or when
 * the user's quiet hours end; e-mail likewise, unless the user takes a digest, which gathers it for the next
 * one. Mail about the address (the welcome, a confirmation) is sent at once, quiet or not: the user is there,
 * having just asked for it.
 */
public record DeliveryPlan(When when, Instant at) {

    /** Now, later (held), or in the next digest. */
    public enum When { NOW, HELD, DIGEST }

    /** The plan for {@code notice} on a device (FCM, Web Push) at {@code now}. */
    public static DeliveryPlan forDevice(PushPreferences preferences, PushNotice notice, Instant now) {
        return heldOrNow(preferences, notice, now);
    }

    /** The plan for {@code notice} by e-mail at {@code now}: {@code at} is when the digest that takes it is due. */
    public static DeliveryPlan forMail(PushPreferences preferences, PushNotice notice, Instant now) {
        if (!notice.kind().isAboutTheAddress() && preferences.digest() != PushPreferences.Digest.OFF) {
            return new DeliveryPlan(When.DIGEST, preferences.nextDigest(now));
        }
        return heldOrNow(preferences, notice, now);
    }

    private static DeliveryPlan heldOrNow(PushPreferences preferences, PushNotice notice, Instant now) {
        Optional<Instant> quietUntil = notice.kind().isAboutTheAddress() ? Optional.empty()
                : preferences.quietHours().flatMap(quiet -> quiet.endOf(now));
        return quietUntil.map(end -> new DeliveryPlan(When.HELD, end)).orElse(new DeliveryPlan(When.NOW, now));
    }
}
