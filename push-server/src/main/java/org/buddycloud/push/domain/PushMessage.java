package org.buddycloud.push.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.buddycloud.contracts.jid.Jid;

/**
 * What a device or a mail says about one or more notices of the same kind in one channel. {@code collapseKey} is
 * the same for everything one user is told about one channel, so that a provider that still holds an undelivered
 * message replaces it with the newer one (FCM's collapse key, Web Push's {@code Topic}, RFC 8030 §5.4: at most 32
 * URL-safe base64 characters) — a burst of posts ends as one message on the phone, not twenty.
 *
 * @param itemId the post to open, or null
 */
public record PushMessage(Jid recipient, PushKind kind, Jid channel, String title, String body, String itemId, String collapseKey) {

    /** A post's text, when the user lets it through, is cut to this many characters: a notification, not the post. */
    static final int MAX_BODY = 240;

    /** The message for {@code count} notices like {@code latest} (its newest), with the post's text only if the user allows it. */
    public static PushMessage of(PushNotice latest, int count, String postText, PushPreferences preferences) {
        return of(latest, count, preferences.postTextThroughProviders() ? postText : null);
    }

    /** The message for {@code count} notices like {@code latest}, with {@code allowedText} (already allowed by the user), or none. */
    public static PushMessage of(PushNotice latest, int count, String allowedText) {
        String actor = latest.actor().toString();
        String channel = latest.channel().toString();
        String title = switch (latest.kind()) {
            case MENTION -> actor + " mentioned you in " + channel;
            case REPLY_TO_MY_POST -> actor + " replied to your post in " + channel;
            case POST_ON_MY_CHANNEL, POST_ON_FOLLOWED_CHANNEL -> count > 1 ? count + " new posts in " + channel
                    : "New post by " + actor + " in " + channel;
            case FOLLOW -> actor + " follows " + channel;
            case UNFOLLOW -> actor + " no longer follows " + channel;
            case FOLLOW_REQUEST -> actor + " asks to follow " + channel;
            case FOLLOW_REQUEST_APPROVED -> "You may now follow " + channel;
            case FOLLOW_REQUEST_DENIED -> "Your request to follow " + channel + " was declined";
            case MESSAGE_WAITING -> count > 1 ? count + " new messages from " + actor : "New message from " + actor;
            case WELCOME -> "Welcome to " + latest.recipient().domain();
            case CONFIRM_ADDRESS -> "Confirm your address for notifications from " + latest.recipient().domain();
        };
        boolean withText = allowedText != null && (latest.itemId() != null || latest.kind() == PushKind.MESSAGE_WAITING);
        String body = withText ? abbreviate(allowedText) : "";
        return new PushMessage(latest.recipient(), latest.kind(), latest.channel(), title, body, latest.itemId(),
                collapseKey(latest.recipient(), latest.channel()));
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_BODY ? flat : flat.substring(0, MAX_BODY - 1) + "…";
    }

    /** The collapse key of everything {@code notice}'s recipient is told about its channel. */
    public static String collapseKeyOf(PushNotice notice) {
        return collapseKey(notice.recipient(), notice.channel());
    }

    /** 24 bytes of SHA-256 over recipient and channel: 32 base64url characters, naming neither. */
    static String collapseKey(Jid recipient, Jid channel) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((recipient.toBare() + " " + channel.toBare()).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 24));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
