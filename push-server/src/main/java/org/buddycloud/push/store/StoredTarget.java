package org.buddycloud.push.store;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.push.domain.PushTarget;

/**
 * A target as the push server keeps it: whose it is, the target itself, a Web Push subscription's keys, whether
 * a mail address was confirmed, and how delivering to it went last.
 *
 * @param p256dh    a Web Push subscription's public key (base64url), else null
 * @param auth      a Web Push subscription's auth secret (base64url), else null
 * @param mailToken a mail address's link secret (confirm, unsubscribe), else null
 */
public record StoredTarget(long id, Jid owner, PushTarget target, String p256dh, String auth, String mailToken,
                           boolean confirmed, Instant createdAt, Instant lastSuccessAt, Instant lastErrorAt, String lastError) {

    /** Whether ordinary notices may go to it: devices always, a mail address once its owner confirmed it. */
    public boolean takesNotices() {
        return target.type() != PushTarget.Type.EMAIL || confirmed;
    }
}
