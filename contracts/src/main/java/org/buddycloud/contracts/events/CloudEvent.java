package org.buddycloud.contracts.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.buddycloud.contracts.jid.Jid;

/**
 * A CloudEvents 1.0 envelope around one of our event payloads.
 *
 * <p>On Kafka it travels in binary mode: the attributes as {@code ce_*} headers, the payload as
 * the JSON record value, and the subject (a channel or account JID) as the record key, so that
 * all events of one channel stay in order. See {@link EventCodec}.
 *
 * @param id      unique per event; consumers use it to skip duplicates
 * @param source  the producing service, e.g. {@code //buddycloud/channel-server/example.com}
 * @param type    an {@link EventType#name()}, e.g. {@code org.buddycloud.account.registered}
 * @param subject the JID the event is about; also the Kafka key
 * @param time    when the change happened
 * @param data    the payload record
 */
public record CloudEvent<T extends EventPayload>(String id, String source, String type, Jid subject, Instant time, T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    public CloudEvent {
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** A new event with a random id, stamped now. */
    public static <T extends EventPayload> CloudEvent<T> of(EventType<T> type, String source, T data, Instant time) {
        return new CloudEvent<>(UUID.randomUUID().toString(), source, type.name(), data.subject(), time, data);
    }

    private static void requireText(String value, String attribute) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CloudEvent attribute '" + attribute + "' must not be empty");
        }
    }
}
