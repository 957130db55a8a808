package org.buddycloud.push.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.access.Action;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;

/**
 * Who is told of a channel event, and as what (PROTOCOL.md §4, the original pusher's consumers, made stricter):
 * one notice per user per event — the most personal kind wins: a mention before a reply to one's post before a post
 * on one's channel before a post on a followed one; never to whoever did it; never about a post the recipient may
 * not read under the access model it was published with (the shared {@link Permissions}); only to users of this
 * domain, whose devices and mail this push server holds. Only a channel's {@code /posts} node is news.
 */
public final class PushRecipients {

    private final String domain;
    private final Permissions permissions;
    private final Audience audience;
    private final ChannelMembers members;

    public PushRecipients(String domain, ChannelMembers members) {
        this.domain = domain;
        this.permissions = new Permissions(domain);
        this.audience = new Audience(permissions);
        this.members = members;
    }

    /** The notices of a new post (a reply too) published under {@code model}. */
    public List<PushNotice> ofPost(Post post, AccessModel model) {
        Jid channel = post.channel();
        if (!isPostsNode(channel, post.node())) {
            return List.of();
        }
        Map<Jid, PushKind> told = new LinkedHashMap<>();
        post.mentions().forEach(jid -> told.putIfAbsent(jid.toBare(), PushKind.MENTION));
        if (post.parentAuthor() != null) {
            told.putIfAbsent(post.parentAuthor().toBare(), PushKind.REPLY_TO_MY_POST);
        }
        members.owners(channel).forEach(jid -> told.putIfAbsent(jid.toBare(), PushKind.POST_ON_MY_CHANNEL));
        members.followersWantingEveryPost(channel).forEach(jid -> told.putIfAbsent(jid.toBare(), PushKind.POST_ON_FOLLOWED_CHANNEL));
        Jid author = post.author().toBare();
        List<PushNotice> notices = new ArrayList<>();
        told.forEach((recipient, kind) -> {
            if (!recipient.equals(author) && isLocal(recipient) && mayRead(channel, recipient, model)) {
                notices.add(new PushNotice(recipient, kind, channel, author, post.itemId()));
            }
        });
        return notices;
    }

    /**
     * The notices of a subscription change: a follow, a departure or a request go to the channel's owners and
     * moderators; the answer to a request goes to whoever asked. Who made the change is not told of it.
     */
    public List<PushNotice> ofSubscription(SubscriptionChanged change) {
        Jid channel = change.channel();
        if (!isPostsNode(channel, change.node())) {
            return List.of();
        }
        Jid subscriber = change.subscriber().toBare();
        Jid actor = change.actor() == null ? subscriber : change.actor().toBare();
        boolean bySubscriber = actor.equals(subscriber);
        Subscription now = change.subscription();
        Subscription before = change.previous() == null ? Subscription.NONE : change.previous();
        List<PushNotice> notices = new ArrayList<>();
        if (now == Subscription.PENDING && before != Subscription.PENDING) {
            toManagers(change, PushKind.FOLLOW_REQUEST, subscriber, actor, notices);
        } else if (before == Subscription.PENDING && !bySubscriber && now == Subscription.SUBSCRIBED) {
            to(subscriber, PushKind.FOLLOW_REQUEST_APPROVED, channel, actor, notices);
        } else if (before == Subscription.PENDING && !bySubscriber && now == Subscription.NONE) {
            to(subscriber, PushKind.FOLLOW_REQUEST_DENIED, channel, actor, notices);
        } else if (now == Subscription.SUBSCRIBED && before != Subscription.SUBSCRIBED && bySubscriber) {
            toManagers(change, PushKind.FOLLOW, subscriber, actor, notices);
        } else if (now == Subscription.NONE && before == Subscription.SUBSCRIBED && bySubscriber) {
            toManagers(change, PushKind.UNFOLLOW, subscriber, actor, notices);
        }
        return notices;
    }

    private void toManagers(SubscriptionChanged change, PushKind kind, Jid subscriber, Jid actor, List<PushNotice> notices) {
        for (Jid manager : members.managers(change.channel())) {
            Jid recipient = manager.toBare();
            if (!recipient.equals(actor) && audience.decidesFollowRequests(members.standing(change.channel(), recipient))) {
                // the notice names who followed or asked, not who pressed the button (an owner may act for a user)
                to(recipient, kind, change.channel(), subscriber, notices);
            }
        }
    }

    private void to(Jid recipient, PushKind kind, Jid channel, Jid actor, List<PushNotice> notices) {
        if (!recipient.equals(actor) && isLocal(recipient)) {
            notices.add(new PushNotice(recipient, kind, channel, actor, null));
        }
    }

    private boolean mayRead(Jid channel, Jid recipient, AccessModel model) {
        return permissions.allows(Action.READ, model, members.standing(channel, recipient), Actor.of(recipient));
    }

    private boolean isLocal(Jid jid) {
        return domain.equalsIgnoreCase(jid.domain());
    }

    private static boolean isPostsNode(Jid channel, String node) {
        return ("/user/" + channel.toBare() + "/posts").equals(node);
    }
}
