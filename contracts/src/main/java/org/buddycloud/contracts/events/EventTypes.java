package org.buddycloud.contracts.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The catalogue of event types. Each has a JSON schema and an example under {@code /events/}; see EVENTS.md. */
public final class EventTypes {

    public static final EventType<AccountRegistered> ACCOUNT_REGISTERED =
            new EventType<>("org.buddycloud.account.registered", Topic.ACCOUNTS, AccountRegistered.class);
    public static final EventType<AccountDeleted> ACCOUNT_DELETED =
            new EventType<>("org.buddycloud.account.deleted", Topic.ACCOUNTS, AccountDeleted.class);
    public static final EventType<CredentialsChanged> CREDENTIALS_CHANGED =
            new EventType<>("org.buddycloud.account.credentials-changed", Topic.ACCOUNTS, CredentialsChanged.class);
    public static final EventType<SessionRevoked> SESSION_REVOKED =
            new EventType<>("org.buddycloud.account.session-revoked", Topic.ACCOUNTS, SessionRevoked.class);
    public static final EventType<MessageWaiting> MESSAGE_WAITING =
            new EventType<>("org.buddycloud.account.message-waiting", Topic.ACCOUNTS, MessageWaiting.class);

    public static final EventType<ChannelCreated> CHANNEL_CREATED =
            new EventType<>("org.buddycloud.channel.created", Topic.CHANNELS, ChannelCreated.class);
    public static final EventType<ChannelConfigured> CHANNEL_CONFIGURED =
            new EventType<>("org.buddycloud.channel.configured", Topic.CHANNELS, ChannelConfigured.class);
    public static final EventType<ChannelDeleted> CHANNEL_DELETED =
            new EventType<>("org.buddycloud.channel.deleted", Topic.CHANNELS, ChannelDeleted.class);
    public static final EventType<ChannelMoved> CHANNEL_MOVED =
            new EventType<>("org.buddycloud.channel.moved", Topic.CHANNELS, ChannelMoved.class);
    public static final EventType<NodeCreated> NODE_CREATED =
            new EventType<>("org.buddycloud.channel.node-created", Topic.CHANNELS, NodeCreated.class);
    public static final EventType<NodeDeleted> NODE_DELETED =
            new EventType<>("org.buddycloud.channel.node-deleted", Topic.CHANNELS, NodeDeleted.class);

    public static final EventType<PostPublished> POST_PUBLISHED =
            new EventType<>("org.buddycloud.post.published", Topic.POSTS, PostPublished.class);
    public static final EventType<PostUpdated> POST_UPDATED =
            new EventType<>("org.buddycloud.post.updated", Topic.POSTS, PostUpdated.class);
    public static final EventType<PostRetracted> POST_RETRACTED =
            new EventType<>("org.buddycloud.post.retracted", Topic.POSTS, PostRetracted.class);

    public static final EventType<PostImported> POST_IMPORTED =
            new EventType<>("org.buddycloud.post.imported", Topic.POSTS, PostImported.class);

    public static final EventType<SubscriptionChanged> SUBSCRIPTION_CHANGED =
            new EventType<>("org.buddycloud.membership.subscription-changed", Topic.MEMBERSHIPS, SubscriptionChanged.class);
    public static final EventType<AffiliationChanged> AFFILIATION_CHANGED =
            new EventType<>("org.buddycloud.membership.affiliation-changed", Topic.MEMBERSHIPS, AffiliationChanged.class);

    public static final EventType<MediaStored> MEDIA_STORED =
            new EventType<>("org.buddycloud.media.stored", Topic.MEDIA, MediaStored.class);
    public static final EventType<MediaDeleted> MEDIA_DELETED =
            new EventType<>("org.buddycloud.media.deleted", Topic.MEDIA, MediaDeleted.class);

    private static final List<EventType<?>> ALL = List.of(
            ACCOUNT_REGISTERED, ACCOUNT_DELETED, CREDENTIALS_CHANGED, SESSION_REVOKED, MESSAGE_WAITING,
            CHANNEL_CREATED, CHANNEL_CONFIGURED, CHANNEL_DELETED, CHANNEL_MOVED, NODE_CREATED, NODE_DELETED,
            POST_PUBLISHED, POST_UPDATED, POST_RETRACTED, POST_IMPORTED,
            SUBSCRIPTION_CHANGED, AFFILIATION_CHANGED,
            MEDIA_STORED, MEDIA_DELETED);

    private static final Map<String, EventType<?>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));

    private EventTypes() {
    }

    public static List<EventType<?>> all() {
        return ALL;
    }

    /** The type with this CloudEvents {@code type} name; empty for a type this version does not know. */
    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
