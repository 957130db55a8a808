package org.buddycloud.push.domain;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Somewhere a user is told things — an FCM registration token, a Web Push subscription's endpoint, a mail address —
 * with the kinds it takes. As in the original pusher ({@code notification_settings}, one row per jid, type and
 * target), each target has its own switches, so a phone can take mentions only while the mail address takes all.
 */
public record PushTarget(Type type, String address, Map<PushKind.Setting, Boolean> switches) {

    /** The kinds of target, by the {@code type} names of {@code /notification_settings} ({@code gcm} is FCM now). */
    public enum Type {
        FCM("gcm"), WEB_PUSH("webpush"), EMAIL("email");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public PushTarget {
        Objects.requireNonNull(type, "type");
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("a push target needs an address");
        }
        Map<PushKind.Setting, Boolean> all = new EnumMap<>(PushKind.Setting.class);
        for (PushKind.Setting setting : PushKind.Setting.values()) {
            all.put(setting, switches == null ? setting.onByDefault() : switches.getOrDefault(setting, setting.onByDefault()));
        }
        switches = Map.copyOf(all);
    }

    /** A target as a user who never changed its switches has it. */
    public static PushTarget withDefaults(Type type, String address) {
        return new PushTarget(type, address, Map.of());
    }

    /** Whether this target takes notices of {@code kind}: its switch; mail about the address is for mail only, always. */
    public boolean takes(PushKind kind) {
        if (kind.isAboutTheAddress()) {
            return type == Type.EMAIL;
        }
        return kind.setting().map(switches::get).orElse(true);
    }
}
