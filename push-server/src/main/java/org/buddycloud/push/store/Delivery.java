package org.buddycloud.push.store;

import java.time.Instant;
import org.buddycloud.push.domain.PushNotice;
import org.buddycloud.push.domain.PushTarget;

/**
 * One row of work, claimed for sending: the notice (the newest of a collapsed burst of {@code notices}), the
 * target it goes to, and how many attempts it has had, this one included.
 *
 * @param postText the post's text when the recipient lets it through providers, else null
 */
public record Delivery(long id, Target target, PushNotice notice, String postText, int notices, String collapseKey,
                       Instant happenedAt, int attempts) {

    /** Where it goes: what the senders need of a {@link StoredTarget}. */
    public record Target(long id, PushTarget.Type type, String address, String p256dh, String auth, String mailToken) {
    }
}
