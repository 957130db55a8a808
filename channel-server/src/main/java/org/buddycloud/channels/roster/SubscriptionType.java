package org.buddycloud.channels.roster;

import java.util.Optional;

/** The four presence types that manage subscriptions (RFC 6121 §3). */
public enum SubscriptionType {
    SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, UNSUBSCRIBED;

    /** The type for a presence {@code type} attribute; empty for presence that is not about subscriptions. */
    public static Optional<SubscriptionType> of(String presenceType) {
        if (presenceType == null) {
            return Optional.empty();
        }
        return switch (presenceType) {
            case "subscribe" -> Optional.of(SUBSCRIBE);
            case "subscribed" -> Optional.of(SUBSCRIBED);
            case "unsubscribe" -> Optional.of(UNSUBSCRIBE);
            case "unsubscribed" -> Optional.of(UNSUBSCRIBED);
            default -> Optional.empty();
        };
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
