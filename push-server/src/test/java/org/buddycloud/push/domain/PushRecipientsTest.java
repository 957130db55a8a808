package org.buddycloud.push.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.access.Action;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.Test;

/** Who hears of a post or a follow through push, and as what. */
class PushRecipientsTest {

    private static final String DOMAIN = "example.com";
    private static final Jid JULIET = Jid.parse("juliet@example.com");
    private static final Jid ROMEO = Jid.parse("romeo@example.com");
    private static final Jid NURSE = Jid.parse("nurse@example.com");
    private static final Jid TYBALT = Jid.parse("tybalt@example.com");
    private static final Jid REMOTE = Jid.parse("benvolio@verona.example");

    private final Members members = new Members();
    private final PushRecipients recipients = new PushRecipients(DOMAIN, members);

    @Test
    void aMentionReachesWhoeverMayReadTheChannelAndNotTheAuthor() {
        members.put(JULIET, Affiliation.OWNER, Subscription.SUBSCRIBED);
        List<PushNotice> notices = recipients.ofPost(post(JULIET, null, List.of(ROMEO, JULIET, REMOTE)), AccessModel.OPEN);
        assertEquals(List.of(notice(ROMEO, PushKind.MENTION, JULIET, "p1")), notices,
                "the author is not told of her own post, a remote user has no devices here");
    }

    @Test
    void eachUserIsToldOnceAsTheMostPersonalKind() {
        members.put(JULIET, Affiliation.OWNER, Subscription.SUBSCRIBED);
        members.put(NURSE, Affiliation.OWNER, Subscription.SUBSCRIBED);
        members.put(ROMEO, Affiliation.PUBLISHER, Subscription.SUBSCRIBED);
        members.wantingEveryPost(NURSE, ROMEO);
        // Romeo answers Juliet's post on her channel and mentions the nurse, an owner too
        List<PushNotice> notices = recipients.ofPost(post(ROMEO, JULIET, List.of(NURSE)), AccessModel.OPEN);
        assertEquals(List.of(notice(NURSE, PushKind.MENTION, ROMEO, "p1"), notice(JULIET, PushKind.REPLY_TO_MY_POST, ROMEO, "p1")),
                notices);
    }

    @Test
    void ownersHearOfPostsOnTheirChannelAndFollowersOnlyWhenTheyAskedFor() {
        members.put(JULIET, Affiliation.OWNER, Subscription.SUBSCRIBED);
        members.put(ROMEO, Affiliation.PUBLISHER, Subscription.SUBSCRIBED);
        members.put(NURSE, Affiliation.MEMBER, Subscription.SUBSCRIBED);
        members.put(TYBALT, Affiliation.MEMBER, Subscription.SUBSCRIBED);
        members.wantingEveryPost(NURSE);
        assertEquals(List.of(notice(JULIET, PushKind.POST_ON_MY_CHANNEL, ROMEO, "p1"), notice(NURSE, PushKind.POST_ON_FOLLOWED_CHANNEL, ROMEO, "p1")),
                recipients.ofPost(post(ROMEO, null, List.of()), AccessModel.OPEN));
    }

    /** Every standing a mentioned user can have, under every access model: told exactly when the shared rule lets them read. */
    @Test
    void nobodyHearsOfAPostTheyMayNotRead() {
        Permissions permissions = new Permissions(DOMAIN);
        int cases = 0;
        for (AccessModel model : AccessModel.values()) {
            for (Affiliation affiliation : Affiliation.values()) {
                for (Subscription subscription : Subscription.values()) {
                    for (Jid mentioned : List.of(ROMEO, REMOTE)) {
                        Members standings = new Members();
                        standings.put(JULIET, Affiliation.OWNER, Subscription.SUBSCRIBED);
                        standings.put(mentioned, affiliation, subscription);
                        List<PushNotice> notices = new PushRecipients(DOMAIN, standings)
                                .ofPost(post(JULIET, null, List.of(mentioned)), model);
                        boolean mayRead = permissions.allows(Action.READ, model, Standing.of(affiliation, subscription), Actor.of(mentioned));
                        boolean expected = mayRead && mentioned.equals(ROMEO);
                        assertEquals(expected ? 1 : 0, notices.size(), model + " " + affiliation + " " + subscription + " " + mentioned);
                        cases++;
                    }
                }
            }
        }
        assertEquals(4 * 6 * 4 * 2, cases);
    }

    @Test
    void onlyTheChannelsPostsNodeIsNews() {
        members.put(JULIET, Affiliation.OWNER, Subscription.SUBSCRIBED);
        Post status = new Post(JULIET, "/user/juliet@example.com/status", "s1", null, ROMEO, null, null, Instant.EPOCH, Instant.EPOCH,
                null, "away", "text", null, null, List.of(JULIET), List.of(), null);
        assertEquals(List.of(), recipients.ofPost(status, AccessModel.OPEN));
    }

    @Test
    void followsAndDeparturesReachTheManagersButNotWhoeverFollowed() {
        members.put(JULIET, Affiliation.OWNER, Subscription.SUBSCRIBED);
        members.put(NURSE, Affiliation.MODERATOR, Subscription.SUBSCRIBED);
        members.put(TYBALT, Affiliation.PUBLISHER, Subscription.SUBSCRIBED);
        assertEquals(List.of(notice(JULIET, PushKind.FOLLOW, ROMEO, null), notice(NURSE, PushKind.FOLLOW, ROMEO, null)),
                recipients.ofSubscription(change(ROMEO, Subscription.NONE, Subscription.SUBSCRIBED, ROMEO)));
        assertEquals(List.of(notice(JULIET, PushKind.UNFOLLOW, ROMEO, null), notice(NURSE, PushKind.UNFOLLOW, ROMEO, null)),
                recipients.ofSubscription(change(ROMEO, Subscription.SUBSCRIBED, Subscription.NONE, ROMEO)));
        assertEquals(List.of(), recipients.ofSubscription(change(ROMEO, Subscription.SUBSCRIBED, Subscription.NONE, JULIET)),
                "an owner removing a follower is nobody's news");
    }

    @Test
    void aFollowRequestGoesToTheManagersAndItsAnswerToWhoeverAsked() {
        members.put(JULIET, Affiliation.OWNER, Subscription.SUBSCRIBED);
        members.put(NURSE, Affiliation.MODERATOR, Subscription.SUBSCRIBED);
        assertEquals(List.of(notice(JULIET, PushKind.FOLLOW_REQUEST, ROMEO, null), notice(NURSE, PushKind.FOLLOW_REQUEST, ROMEO, null)),
                recipients.ofSubscription(change(ROMEO, Subscription.NONE, Subscription.PENDING, ROMEO)));
        assertEquals(List.of(notice(ROMEO, PushKind.FOLLOW_REQUEST_APPROVED, NURSE, null)),
                recipients.ofSubscription(change(ROMEO, Subscription.PENDING, Subscription.SUBSCRIBED, NURSE)),
                "the nurse approved: Romeo is told, the nurse is not told of her own answer, Juliet is not asked again");
        assertEquals(List.of(notice(ROMEO, PushKind.FOLLOW_REQUEST_DENIED, JULIET, null)),
                recipients.ofSubscription(change(ROMEO, Subscription.PENDING, Subscription.NONE, JULIET)));
        assertEquals(List.of(), recipients.ofSubscription(change(ROMEO, Subscription.PENDING, Subscription.NONE, ROMEO)),
                "a request taken back is nobody's news");
    }

    private static Post post(Jid author, Jid parentAuthor, List<Jid> mentions) {
        return new Post(JULIET, "/user/juliet@example.com/posts", "p1", "tag:example.com,/user/juliet@example.com/posts,p1", author,
                parentAuthor == null ? null : "p0", parentAuthor, Instant.EPOCH, Instant.EPOCH, null, "O Romeo", "text", null, null,
                mentions, List.of(), null);
    }

    private static SubscriptionChanged change(Jid subscriber, Subscription previous, Subscription now, Jid actor) {
        return new SubscriptionChanged(JULIET, "/user/juliet@example.com/posts", subscriber, now, previous, Affiliation.MEMBER, actor,
                AccessModel.AUTHORIZE, Instant.EPOCH);
    }

    private static PushNotice notice(Jid recipient, PushKind kind, Jid actor, String itemId) {
        return new PushNotice(recipient, kind, JULIET, actor, itemId);
    }

    /** The read model as the rule sees it, for one channel (Juliet's). */
    private static final class Members implements ChannelMembers {
        private final Map<Jid, Standing> standings = new HashMap<>();
        private final List<Jid> wantingEveryPost = new ArrayList<>();

        void put(Jid jid, Affiliation affiliation, Subscription subscription) {
            standings.put(jid, Standing.of(affiliation, subscription));
        }

        void wantingEveryPost(Jid... jids) {
            wantingEveryPost.addAll(List.of(jids));
        }

        @Override
        public Standing standing(Jid channel, Jid jid) {
            return standings.getOrDefault(jid, Standing.STRANGER);
        }

        @Override
        public List<Jid> owners(Jid channel) {
            return standings.entrySet().stream().filter(e -> e.getValue().affiliation() == Affiliation.OWNER).map(Map.Entry::getKey)
                    .sorted(java.util.Comparator.comparing(Jid::toString)).toList();
        }

        @Override
        public List<Jid> managers(Jid channel) {
            return standings.entrySet().stream().filter(e -> e.getValue().privileged()).map(Map.Entry::getKey)
                    .sorted(java.util.Comparator.comparing(Jid::toString)).toList();
        }

        @Override
        public List<Jid> followersWantingEveryPost(Jid channel) {
            return wantingEveryPost.stream().filter(jid -> standing(channel, jid).subscribed()).toList();
        }
    }
}
