package org.buddycloud.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.buddycloud.contracts.jid.Jid;

/**
 * A chat message was kept for a user none of whose sessions could take it, and the user's clients asked (XEP-0357
 * {@code <enable/>}) to be woken through app servers: each is to be told a summary (XEP-0357 §5: how many messages
 * wait, from whom, the text only for a registration that asked for it). Keyed by the user.
 *
 * @param messageCount      how many messages wait for the user, this one included
 * @param lastMessageSender the bare JID of whoever sent this one
 * @param registrations     every enabled registration of the user at the time
 */
public record MessageWaiting(Jid user, int messageCount, Jid lastMessageSender, List<Registration> registrations, Instant storedAt)
        implements EventPayload {

    public MessageWaiting {
        Objects.requireNonNull(user, "user");
        registrations = registrations == null ? List.of() : List.copyOf(registrations);
    }

    @Override
    public Jid subject() {
        return user;
    }

    /**
     * One XEP-0357 registration: the app server and node the client named, the publish-options it submitted (the
     * app server's, e.g. {@code secret}), and the message's text when — and only when — the registration asked for it.
     *
     * @param lastMessageBody the text of the message, or null (the default: bodies stay off the providers' networks)
     */
    public record Registration(Jid appServer, String node, List<Option> publishOptions, String lastMessageBody) {

        public Registration {
            Objects.requireNonNull(appServer, "appServer");
            Objects.requireNonNull(node, "node");
            publishOptions = publishOptions == null ? List.of() : List.copyOf(publishOptions);
        }
    }

    /** One field of a submitted XEP-0004 form. */
    public record Option(String var, List<String> values) {

        public Option {
            Objects.requireNonNull(var, "var");
            values = values == null ? List.of() : List.copyOf(values);
        }
    }
}
