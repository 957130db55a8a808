package org.buddycloud.push.domain;

import java.util.Objects;
import org.buddycloud.contracts.jid.Jid;

/**
 * One thing to tell one user: the kind, the channel it happened in, who did it, and — for posts — which item,
 * so that a client can open it. Carries no post text: whether the text goes through a push provider is the
 * recipient's privacy setting, decided when the message is built.
 *
 * @param itemId the post's item id, or null for membership news
 */
public record PushNotice(Jid recipient, PushKind kind, Jid channel, Jid actor, String itemId) {

    public PushNotice {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(actor, "actor");
    }
}
