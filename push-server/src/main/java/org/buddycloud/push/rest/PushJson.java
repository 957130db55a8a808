package org.buddycloud.push.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.push.domain.PushKind.Setting;
import org.buddycloud.push.domain.PushTarget;
import org.buddycloud.push.store.StoredTarget;

/** The push API's JSON: the old {@code notification_settings} shape, devices with their status, preferences. */
final class PushJson {

    private PushJson() {
    }

    /** One target's settings, as the original pusher's {@code <notificationSettings>}; null switches are unchanged. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Settings(String type, String target, Boolean postAfterMe, Boolean postMentionedMe, Boolean postOnMyChannel,
                    Boolean postOnSubscribedChannel, Boolean followMyChannel, Boolean followRequest, Boolean confirmed) {

        static Settings of(StoredTarget stored) {
            Map<Setting, Boolean> s = stored.target().switches();
            return new Settings(stored.target().type().wireName(), stored.target().address(), s.get(Setting.POST_AFTER_ME),
                    s.get(Setting.POST_MENTIONED_ME), s.get(Setting.POST_ON_MY_CHANNEL), s.get(Setting.POST_ON_SUBSCRIBED_CHANNEL),
                    s.get(Setting.FOLLOW_MY_CHANNEL), s.get(Setting.FOLLOW_REQUEST),
                    stored.target().type() == PushTarget.Type.EMAIL ? stored.confirmed() : null);
        }

        Map<Setting, Boolean> changes() {
            Map<Setting, Boolean> changes = new EnumMap<>(Setting.class);
            put(changes, Setting.POST_AFTER_ME, postAfterMe);
            put(changes, Setting.POST_MENTIONED_ME, postMentionedMe);
            put(changes, Setting.POST_ON_MY_CHANNEL, postOnMyChannel);
            put(changes, Setting.POST_ON_SUBSCRIBED_CHANNEL, postOnSubscribedChannel);
            put(changes, Setting.FOLLOW_MY_CHANNEL, followMyChannel);
            put(changes, Setting.FOLLOW_REQUEST, followRequest);
            return changes;
        }

        private static void put(Map<Setting, Boolean> changes, Setting setting, Boolean value) {
            if (value != null) {
                changes.put(setting, value);
            }
        }
    }

    /** The old DELETE body: which targets to remove (all of the caller's when both are absent). */
    record Removal(String type, String target) {
    }

    /** A device registration: an FCM token, or a Web Push subscription as the browser's {@code PushSubscription.toJSON()}. */
    record DeviceRegistration(String type, String token, Subscription subscription, Settings settings) {
    }

    record Subscription(String endpoint, Keys keys) {
    }

    record Keys(String p256dh, String auth) {
    }

    /** A device as its owner sees it, with how delivering to it went. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Device(long id, String type, String target, Instant createdAt, Instant lastSuccessAt, Instant lastErrorAt,
                  String lastError, int waiting, Settings settings) {

        static Device of(StoredTarget stored, int waiting) {
            return new Device(stored.id(), stored.target().type().wireName(), stored.target().address(), stored.createdAt(),
                    stored.lastSuccessAt(), stored.lastErrorAt(), stored.lastError(), waiting, Settings.of(stored));
        }
    }

    /** A user's preferences: muted channels, quiet hours with a time zone, the mail digest, post text through providers. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Preferences(List<String> mutedChannels, QuietHours quietHours, String digest, Boolean postTextThroughProviders) {
    }

    record QuietHours(String from, String until, String timeZone) {
    }

    /** The type of a target by its wire name ({@code gcm} and {@code fcm} alike); a clear refusal for anything else. */
    static PushTarget.Type type(String name) {
        if (name == null || name.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "type is required: gcm (FCM), webpush or email");
        }
        String lower = name.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("fcm")) {
            return PushTarget.Type.FCM;
        }
        for (PushTarget.Type type : PushTarget.Type.values()) {
            if (type.wireName().equals(lower)) {
                return type;
            }
        }
        throw new DomainException(Condition.BAD_REQUEST, "unknown type '" + abbreviate(name) + "': gcm (FCM), webpush or email");
    }

    static Optional<PushTarget.Type> optionalType(String name) {
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(type(name));
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 59) + "…";
    }
}
