package org.buddycloud.channels.push;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.buddycloud.contracts.events.MessageWaiting;
import org.buddycloud.contracts.jid.Jid;

/**
 * One XEP-0357 registration of a user: the app server and node to tell when a message waits, the publish-options its
 * client submitted, and whether the message's text may go along.
 */
public record PushRegistration(Jid owner, Jid appServer, String node, List<MessageWaiting.Option> publishOptions,
                               boolean includeBody, Instant enabledAt) {

    public PushRegistration {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(appServer, "appServer");
        Objects.requireNonNull(node, "node");
        publishOptions = List.copyOf(publishOptions);
    }

    /** The registration as the event names it: the text only where this registration asked for it. */
    public MessageWaiting.Registration toEvent(String lastMessageBody) {
        return new MessageWaiting.Registration(appServer, node, publishOptions, includeBody ? lastMessageBody : null);
    }
}
