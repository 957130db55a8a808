package org.buddycloud.push.domain;

/**
 * What a user can be told of, each under the setting of the original pusher that governs it (PROTOCOL.md §4):
 * the same names in {@code /notification_settings}, and the same defaults — everything on but posts on the
 * channels one merely follows.
 */
public enum PushKind {
    MENTION(Setting.POST_MENTIONED_ME),
    REPLY_TO_MY_POST(Setting.POST_AFTER_ME),
    POST_ON_MY_CHANNEL(Setting.POST_ON_MY_CHANNEL),
    POST_ON_FOLLOWED_CHANNEL(Setting.POST_ON_SUBSCRIBED_CHANNEL),
    FOLLOW(Setting.FOLLOW_MY_CHANNEL),
    UNFOLLOW(Setting.FOLLOW_MY_CHANNEL),
    FOLLOW_REQUEST(Setting.FOLLOW_REQUEST),
    FOLLOW_REQUEST_APPROVED(Setting.FOLLOW_REQUEST),
    FOLLOW_REQUEST_DENIED(Setting.FOLLOW_REQUEST),
    /**
     * Chat messages wait for a user whose XMPP client sleeps (XEP-0357, to the device the registration's node names):
     * the client asked for exactly this when it enabled push, so no switch turns it off; quiet hours and mutes (of
     * the sender's address) apply.
     */
    MESSAGE_WAITING(null),
    /** The welcome mail at registration, which asks to confirm the address: always sent, no setting turns it off. */
    WELCOME(null),
    /** The mail that asks to confirm an address a user added: always sent, no setting turns it off. */
    CONFIRM_ADDRESS(null);

    private final Setting setting;

    PushKind(Setting setting) {
        this.setting = setting;
    }

    /** The setting that turns this kind on or off; empty for what is always sent. */
    public java.util.Optional<Setting> setting() {
        return java.util.Optional.ofNullable(setting);
    }

    /** Mail about the address itself, sent to it before it is confirmed and whatever the user's settings. */
    public boolean isAboutTheAddress() {
        return this == WELCOME || this == CONFIRM_ADDRESS;
    }

    /** The per-kind switches of a user's notification settings, by their wire names. */
    public enum Setting {
        POST_AFTER_ME("postAfterMe", true),
        POST_MENTIONED_ME("postMentionedMe", true),
        POST_ON_MY_CHANNEL("postOnMyChannel", true),
        POST_ON_SUBSCRIBED_CHANNEL("postOnSubscribedChannel", false),
        FOLLOW_MY_CHANNEL("followMyChannel", true),
        FOLLOW_REQUEST("followRequest", true);

        private final String wireName;
        private final boolean onByDefault;

        Setting(String wireName, boolean onByDefault) {
            this.wireName = wireName;
            this.onByDefault = onByDefault;
        }

        public String wireName() {
            return wireName;
        }

        public boolean onByDefault() {
            return onByDefault;
        }
    }
}
