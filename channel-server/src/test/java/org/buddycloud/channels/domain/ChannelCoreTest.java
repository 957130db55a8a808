package org.buddycloud.channels.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.buddycloud.channels.service.AccountTransactions;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The channel core driven directly, against the real database: the flows behind every protocol. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ChannelCoreTest {

    @Inject
    AccountTransactions accounts;

    @Inject
    ChannelTransactions channels;

    @Inject
    ChannelQueries queries;

    private Actor user(String name) {
        String username = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return Actor.of(accounts.register(username, "a-good-password", username + "@example.com").jid());
    }

    private static NodeName posts(Actor owner) {
        return NodeName.of(owner.jid(), NodeName.POSTS);
    }

    private static PostDraft text(String content) {
        return PostDraft.text(content);
    }

    @Test
    void registrationCreatesThePersonalChannelOwnedAndFollowedByItsUser() {
        Actor juliet = user("juliet");
        for (String type : NodeName.PERSONAL) {
            NodeName node = NodeName.of(juliet.jid(), type);
            NodeConfig config = queries.configuration(Actor.ANONYMOUS, node);
            assertEquals(type.startsWith("geo/") ? AccessModel.AUTHORIZE : AccessModel.OPEN, config.accessModel(), type);
            Membership owner = queries.members(juliet, node).get(0);
            assertEquals(Affiliation.OWNER, owner.affiliation());
            assertEquals(Subscription.SUBSCRIBED, owner.subscription());
        }
    }

    @Test
    void repliesAreOneLevelDeepAndMoveTheirThreadUp() {
        Actor juliet = user("juliet");
        Post first = channels.publish(juliet, posts(juliet), text("first"));
        Post second = channels.publish(juliet, posts(juliet), text("second"));
        Post reply = channels.publish(juliet, posts(juliet), text("re: first").replyingTo(first.id()));
        assertEquals(first.id(), reply.inReplyTo());
        assertEquals("comment", reply.objectType());
        List<ChannelQueries.Thread> threads = queries.threads(juliet, posts(juliet), Page.first(10)).items();
        assertEquals(List.of(first.id(), second.id()), threads.stream().map(t -> t.parent().id()).toList(),
                "the reply made the first thread the most recent");
        assertEquals(List.of(reply.id()), threads.get(0).replies().stream().map(Post::id).toList());
        assertRefused(Condition.BAD_REQUEST, AppCondition.MAX_THREAD_DEPTH_EXCEEDED,
                () -> channels.publish(juliet, posts(juliet), text("re: re").replyingTo(reply.id())));
        assertRefused(Condition.ITEM_NOT_FOUND, AppCondition.PARENT_ITEM_NOT_FOUND,
                () -> channels.publish(juliet, posts(juliet), text("re: nothing").replyingTo("no-such-post")));
        assertEquals(first.id(), queries.thread(juliet, posts(juliet), reply.id()).parent().id(), "a reply's id gives its whole thread");
        assertEquals(1, queries.items(juliet, posts(juliet), Page.first(10), true).items().stream().filter(p -> p.id().equals(first.id())).count());
        assertEquals(2, queries.items(juliet, posts(juliet), Page.first(10), true).count());
        assertEquals(3, queries.items(juliet, posts(juliet), Page.first(10), false).count());
    }

    @Test
    void theAuthorEditsAPostKeepingItsPublicationTime() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        channels.setAffiliation(juliet, posts(juliet), romeo.jid(), Affiliation.PUBLISHER);
        channels.subscribe(romeo, posts(juliet));
        Post original = channels.publish(romeo, posts(juliet), text("draft"));
        Post edited = channels.publish(romeo, posts(juliet), text("final").withId(original.id()));
        assertEquals(original.published(), edited.published());
        assertTrue(!edited.updated().isBefore(original.updated()));
        assertEquals("final", queries.item(Actor.ANONYMOUS, posts(juliet), original.id()).content());
        assertRefused(Condition.FORBIDDEN, null, () -> channels.publish(juliet, posts(juliet), text("hijack").withId(original.id())));
        assertEquals(original.id(), channels.publish(romeo, posts(juliet),
                text("by global id").withId(original.globalId("localhost"))).id());
    }

    @Test
    void postsAreValidatedWithTheNamedConditions() {
        Actor juliet = user("juliet");
        NodeName node = posts(juliet);
        assertRefused(Condition.BAD_REQUEST, AppCondition.CONTENT_ELEMENT_REQUIRED, () -> channels.publish(juliet, node, text(" ")));
        assertRefused(Condition.BAD_REQUEST, AppCondition.UNSUPPORTED_CONTENT_TYPE, () -> channels.publish(juliet, node,
                new PostDraft(null, null, "x", "html", null, null, null, null, List.of(), null)));
        assertRefused(Condition.PAYLOAD_TOO_BIG, AppCondition.PAYLOAD_TOO_BIG, () -> channels.publish(juliet, node, text("x".repeat(100_001))));
        assertRefused(Condition.BAD_REQUEST, null, () -> channels.publish(juliet, node, text("x").withId("bad id!")));
        assertRefused(Condition.NOT_ALLOWED, null, () -> channels.publish(juliet, NodeName.of(juliet.jid(), NodeName.SUBSCRIPTIONS), text("x")));
        assertRefused(Condition.BAD_REQUEST, AppCondition.NODEID_REQUIRED, () -> NodeName.parse(" "));
    }

    @Test
    void ratingsRateAPostOfTheThreadOncePerAuthor() {
        Actor juliet = user("juliet");
        NodeName node = posts(juliet);
        Post post = channels.publish(juliet, node, text("rate me"));
        PostDraft rating = new PostDraft(null, null, null, null, post.id(), "4", post.id(), null, List.of(), null);
        Post rated = channels.publish(juliet, node, rating);
        assertEquals(4, rated.rating());
        assertEquals("rating:4.0", rated.content());
        assertEquals("rated", rated.verb());
        assertRefused(Condition.CONFLICT, AppCondition.ITEM_ALREADY_RATED, () -> channels.publish(juliet, node, rating));
        assertRefused(Condition.BAD_REQUEST, AppCondition.RATING_OUT_OF_RANGE, () -> channels.publish(juliet, node,
                new PostDraft(null, null, null, null, post.id(), "6", post.id(), null, List.of(), null)));
        assertRefused(Condition.BAD_REQUEST, AppCondition.INVALID_RATING, () -> channels.publish(juliet, node,
                new PostDraft(null, null, null, null, post.id(), "great", post.id(), null, List.of(), null)));
        assertRefused(Condition.BAD_REQUEST, AppCondition.MISSING_TARGET, () -> channels.publish(juliet, node,
                new PostDraft(null, null, null, null, post.id(), "3", null, null, List.of(), null)));
        assertRefused(Condition.BAD_REQUEST, AppCondition.MISSING_TARGET_ID, () -> channels.publish(juliet, node,
                new PostDraft(null, null, null, null, post.id(), "3", " ", null, List.of(), null)));
        assertRefused(Condition.BAD_REQUEST, AppCondition.MISSING_IN_REPLY_TO, () -> channels.publish(juliet, node,
                new PostDraft(null, null, "x", null, null, null, post.id(), null, List.of(), null)));
        assertRefused(Condition.BAD_REQUEST, AppCondition.INVALID_RATING_REQUEST, () -> channels.publish(juliet, node,
                new PostDraft(null, null, null, null, post.id(), "3", rated.id(), null, List.of(), null)));
        Post other = channels.publish(juliet, node, text("another thread"));
        assertRefused(Condition.BAD_REQUEST, AppCondition.TARGET_OUTSIDE_THREAD, () -> channels.publish(juliet, node,
                new PostDraft(null, null, "see", null, post.id(), null, other.id(), null, List.of(), null)));
        assertRefused(Condition.ITEM_NOT_FOUND, AppCondition.TARGETED_ITEM_NOT_FOUND, () -> channels.publish(juliet, node,
                new PostDraft(null, null, "see", null, post.id(), null, "nothing", null, List.of(), null)));
    }

    @Test
    void deletingAPostDeletesItsRepliesAndOnlyTheRightPeopleMayDelete() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        NodeName node = posts(juliet);
        channels.setAffiliation(juliet, node, romeo.jid(), Affiliation.PUBLISHER);
        channels.subscribe(romeo, node);
        Post post = channels.publish(juliet, node, text("thread"));
        Post reply = channels.publish(romeo, node, text("reply").replyingTo(post.id()));
        Post romeos = channels.publish(romeo, node, text("mine"));
        assertRefused(Condition.FORBIDDEN, null, () -> channels.retract(romeo, node, post.id()));
        assertEquals(List.of(romeos.id()), channels.retract(romeo, node, romeos.id()), "authors delete their own");
        assertEquals(List.of(reply.id(), post.id()), channels.retract(juliet, node, post.id()));
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> queries.item(juliet, node, reply.id()));
        assertEquals(0, queries.items(juliet, node, Page.first(10), false).count());
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> channels.retract(juliet, node, post.id()));
    }

    @Test
    void aModeratorDeletesAnyonesPostAndAPublisherOnlyTheirOwn() {
        Actor juliet = user("juliet");
        Actor nurse = user("nurse");
        Actor romeo = user("romeo");
        NodeName node = posts(juliet);
        channels.subscribe(nurse, node);
        channels.subscribe(romeo, node);
        channels.setAffiliation(juliet, node, nurse.jid(), Affiliation.MODERATOR);
        channels.setAffiliation(juliet, node, romeo.jid(), Affiliation.PUBLISHER);
        Post romeos = channels.publish(romeo, node, text("a rude word"));
        Post julietsReply = channels.publish(juliet, node, text("hush").replyingTo(romeos.id()));
        assertRefused(Condition.FORBIDDEN, null, () -> channels.retract(romeo, node, julietsReply.id()));
        assertEquals(List.of(julietsReply.id(), romeos.id()), channels.retract(nurse, node, romeos.id()));
    }

    @Test
    void placeAndMediaSurviveTheDatabase() {
        Actor juliet = user("juliet");
        PostDraft draft = new PostDraft(null, "Here", "at the window", null, null, null, null,
                new Post.Geoloc(45.4384, 10.9916, "Verona"), List.of(new Post.MediaRef(juliet.jid(), "balcony-photo")), null);
        Post stored = queries.item(Actor.ANONYMOUS, posts(juliet), channels.publish(juliet, posts(juliet), draft).id());
        assertEquals(new Post.Geoloc(45.4384, 10.9916, "Verona"), stored.geoloc());
        assertEquals(List.of(new Post.MediaRef(juliet.jid(), "balcony-photo")), stored.media());
        assertEquals("Here", stored.title());
    }

    @Test
    void repliesAndThreadsAreReadWithTheNodesRules() {
        Actor juliet = user("juliet");
        NodeName node = posts(juliet);
        Post parent = channels.publish(juliet, node, text("parent"));
        Post first = channels.publish(juliet, node, text("first").replyingTo(parent.id()));
        Post second = channels.publish(juliet, node, text("second").replyingTo(parent.id()));
        assertEquals(List.of(second.id(), first.id()), ids(queries.replies(Actor.ANONYMOUS, node, parent.id(), Page.first(10))));
        ChannelQueries.Thread thread = queries.thread(Actor.ANONYMOUS, node, first.id());
        assertEquals(parent.id(), thread.parent().id(), "a reply's id gives its whole thread");
        assertEquals(2, thread.replies().size());
        channels.configure(juliet, node, ConfigChange.of(null, null, AccessModel.AUTHORIZE, null));
        assertRefused(Condition.NOT_AUTHORIZED, null, () -> queries.thread(Actor.ANONYMOUS, node, parent.id()));
        assertRefused(Condition.FORBIDDEN, null, () -> queries.replies(user("tybalt"), node, parent.id(), Page.first(10)));
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> queries.replies(juliet, node, "no-such-post", Page.first(10)));
    }

    @Test
    void replacingTheLatestPostIsHowStatusIsSet() {
        Actor juliet = user("juliet");
        NodeName status = NodeName.of(juliet.jid(), NodeName.STATUS);
        channels.replaceLatest(juliet, status, text("sleepy"));
        Post now = channels.replaceLatest(juliet, status, text("awake"));
        Slice<Post> all = queries.items(Actor.ANONYMOUS, status, Page.first(10), false);
        assertEquals(List.of(now.id()), all.items().stream().map(Post::id).toList());
    }

    @Test
    void pagesWalkNewestFirstInBothDirections() {
        Actor juliet = user("juliet");
        NodeName node = posts(juliet);
        assertEquals(new Slice<Post>(List.of(), null, null, 0), queries.items(juliet, node, Page.first(5), false));
        List<String> ids = IntStream.range(0, 7).mapToObj(i -> channels.publish(juliet, node, text("post " + i)).id()).toList();
        List<String> newestFirst = new java.util.ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        Slice<Post> first = queries.items(juliet, node, Page.first(3), false);
        assertEquals(newestFirst.subList(0, 3), ids(first));
        assertEquals(7, first.count());
        assertEquals(newestFirst.get(0), first.first());
        Slice<Post> second = queries.items(juliet, node, new Page(3, first.last(), null), false);
        assertEquals(newestFirst.subList(3, 6), ids(second));
        Slice<Post> last = queries.items(juliet, node, new Page(3, second.last(), null), false);
        assertEquals(newestFirst.subList(6, 7), ids(last), "the last page is short");
        assertEquals(List.of(), ids(queries.items(juliet, node, new Page(3, last.last(), null), false)), "after the oldest: nothing");
        assertEquals(newestFirst.subList(3, 6), ids(queries.items(juliet, node, new Page(3, null, last.first()), false)),
                "before goes back towards the newest");
        assertEquals(List.of(), ids(queries.items(juliet, node, new Page(3, null, newestFirst.get(0)), false)), "before the newest: nothing");
        assertEquals(newestFirst, ids(queries.items(juliet, node, Page.first(7), false)), "an exact page");
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> queries.items(juliet, node, new Page(3, "no-such-item", null), false));
        assertRefused(Condition.BAD_REQUEST, AppCondition.INVALID_MAX_VALUE_PROVIDED, () -> new Page(0, null, null));
        assertRefused(Condition.BAD_REQUEST, AppCondition.INVALID_MAX_VALUE_PROVIDED, () -> new Page(201, null, null));
    }

    @Test
    void anAuthorizeChannelTakesFollowersOnlyWithApproval() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        NodeName node = posts(juliet);
        channels.configure(juliet, node, ConfigChange.of(null, null, AccessModel.AUTHORIZE, null));
        channels.publish(juliet, node, text("for approved eyes"));
        assertRefused(Condition.NOT_AUTHORIZED, null, () -> queries.items(Actor.ANONYMOUS, node, Page.first(5), false));
        assertRefused(Condition.FORBIDDEN, AppCondition.CLOSED_NODE, () -> queries.items(romeo, node, Page.first(5), false));
        assertEquals(Subscription.PENDING, channels.subscribe(romeo, node).subscription());
        assertRefused(Condition.NOT_AUTHORIZED, AppCondition.PENDING_SUBSCRIPTION, () -> queries.items(romeo, node, Page.first(5), false));
        assertEquals(List.of(romeo.jid()), queries.pending(juliet, node).stream().map(Membership::jid).toList());
        assertRefused(Condition.FORBIDDEN, null, () -> queries.pending(romeo, node));
        assertRefused(Condition.FORBIDDEN, null, () -> channels.setSubscription(romeo, node, juliet.jid(), Subscription.SUBSCRIBED));
        Membership approved = channels.setSubscription(juliet, node, romeo.jid(), Subscription.SUBSCRIBED);
        assertEquals(Affiliation.MEMBER, approved.affiliation());
        assertEquals(1, queries.items(romeo, node, Page.first(5), false).count());
        assertRefused(Condition.FORBIDDEN, null, () -> channels.publish(user("nurse"), node, text("x")));
        assertRefused(Condition.FORBIDDEN, null, () -> channels.publish(romeo, node, text("members do not post")));
    }

    @Test
    void refusingARequestOrUnfollowingClosesThePrivateChannelAgain() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        NodeName node = posts(juliet);
        channels.configure(juliet, node, ConfigChange.of(null, null, AccessModel.AUTHORIZE, null));
        channels.subscribe(romeo, node);
        assertEquals(Subscription.NONE, channels.setSubscription(juliet, node, romeo.jid(), Subscription.NONE).subscription());
        assertRefused(Condition.FORBIDDEN, AppCondition.CLOSED_NODE, () -> queries.items(romeo, node, Page.first(5), false));
        channels.subscribe(romeo, node);
        channels.setSubscription(juliet, node, romeo.jid(), Subscription.SUBSCRIBED);
        channels.unsubscribe(romeo, node, romeo.jid());
        assertRefused(Condition.FORBIDDEN, AppCondition.CLOSED_NODE, () -> queries.items(romeo, node, Page.first(5), false));
        assertEquals(Subscription.PENDING, channels.subscribe(romeo, node).subscription(), "coming back needs approval again");
    }

    @Test
    void anInvitationFromTheOwnerLetsTheInviteeIn() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        NodeName node = posts(juliet);
        channels.configure(juliet, node, ConfigChange.of(null, null, AccessModel.AUTHORIZE, null));
        Membership invited = channels.setSubscription(juliet, node, romeo.jid(), Subscription.INVITED);
        assertEquals(Subscription.INVITED, invited.subscription());
        assertEquals(juliet.jid(), invited.invitedBy());
        assertEquals(Subscription.SUBSCRIBED, channels.subscribe(romeo, node).subscription());
        Actor nurse = user("nurse");
        channels.setSubscription(romeo, node, nurse.jid(), Subscription.INVITED);
        assertEquals(Subscription.PENDING, channels.subscribe(nurse, node).subscription(), "a member's invitation still needs approval");
        assertRefused(Condition.FORBIDDEN, null, () -> channels.setSubscription(user("paris"), node, nurse.jid(), Subscription.INVITED));
    }

    @Test
    void aWhitelistChannelIsForThoseTheOwnerAdded() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        Actor tybalt = user("tybalt");
        NodeName node = posts(juliet);
        channels.configure(juliet, node, ConfigChange.of(null, null, AccessModel.WHITELIST, null));
        assertRefused(Condition.FORBIDDEN, AppCondition.CLOSED_NODE, () -> channels.subscribe(tybalt, node));
        channels.setAffiliation(juliet, node, romeo.jid(), Affiliation.MEMBER);
        assertEquals(0, queries.items(romeo, node, Page.first(5), false).count(), "added members read");
        assertEquals(Subscription.SUBSCRIBED, channels.subscribe(romeo, node).subscription());
        // the owner's invitation adds the invitee; a member's does not
        Actor nurse = user("nurse");
        channels.setSubscription(juliet, node, nurse.jid(), Subscription.INVITED);
        assertEquals(Subscription.SUBSCRIBED, channels.subscribe(nurse, node).subscription());
        assertEquals(0, queries.items(nurse, node, Page.first(5), false).count(), "the invitee reads");
        channels.setSubscription(romeo, node, tybalt.jid(), Subscription.INVITED);
        assertRefused(Condition.FORBIDDEN, AppCondition.CLOSED_NODE, () -> channels.subscribe(tybalt, node));
    }

    @Test
    void aLocalChannelIsOpenToThisServersUsers() {
        Actor juliet = user("juliet");
        NodeName node = posts(juliet);
        channels.configure(juliet, node, ConfigChange.of(null, null, AccessModel.LOCAL, null));
        channels.publish(juliet, node, text("for the neighbourhood"));
        assertEquals(1, queries.items(user("romeo"), node, Page.first(5), false).count());
        assertRefused(Condition.NOT_AUTHORIZED, null, () -> queries.items(Actor.ANONYMOUS, node, Page.first(5), false));
        Actor stranger = Actor.of(Jid.parse("stranger@elsewhere.org"));
        assertRefused(Condition.FORBIDDEN, AppCondition.CLOSED_NODE, () -> queries.items(stranger, node, Page.first(5), false));
        assertEquals(Subscription.PENDING, channels.subscribe(stranger, node).subscription());
    }

    @Test
    void affiliationsFollowTheRolesRules() {
        Actor juliet = user("juliet");
        Actor nurse = user("nurse");
        Actor romeo = user("romeo");
        NodeName node = posts(juliet);
        channels.setAffiliation(juliet, node, nurse.jid(), Affiliation.MODERATOR);
        assertRefused(Condition.FORBIDDEN, AppCondition.CAN_NOT_MODIFY_OWN_AFFILIATION,
                () -> channels.setAffiliation(juliet, node, juliet.jid(), Affiliation.MEMBER));
        assertRefused(Condition.FORBIDDEN, null, () -> channels.setAffiliation(nurse, node, romeo.jid(), Affiliation.MODERATOR));
        assertRefused(Condition.FORBIDDEN, null, () -> channels.setAffiliation(nurse, node, juliet.jid(), Affiliation.OUTCAST));
        assertEquals(Affiliation.PUBLISHER, channels.setAffiliation(nurse, node, romeo.jid(), Affiliation.PUBLISHER).affiliation());
        assertRefused(Condition.FORBIDDEN, null, () -> channels.setAffiliation(romeo, node, nurse.jid(), Affiliation.NONE));
        channels.subscribe(romeo, node);
        Membership banned = channels.setAffiliation(nurse, node, romeo.jid(), Affiliation.OUTCAST);
        assertEquals(Subscription.NONE, banned.subscription());
        assertRefused(Condition.FORBIDDEN, null, () -> queries.items(romeo, node, Page.first(5), false));
        assertRefused(Condition.FORBIDDEN, null, () -> channels.subscribe(romeo, node));
        assertRefused(Condition.FORBIDDEN, null, () -> queries.configuration(romeo, node));
        assertTrue(queries.members(juliet, node).stream().anyMatch(m -> m.affiliation() == Affiliation.OUTCAST), "owners see outcasts");
        assertFalse(queries.members(user("paris"), node).stream().anyMatch(m -> m.affiliation() == Affiliation.OUTCAST),
                "others see followers only");
    }

    @Test
    void aChannelKeepsAnOwnerAndNobodyUnfollowsForSomeoneElse() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        NodeName node = posts(juliet);
        channels.subscribe(romeo, node);
        assertRefused(Condition.CONFLICT, AppCondition.NODE_MUST_HAVE_OWNER, () -> channels.unsubscribe(juliet, node, juliet.jid()));
        assertRefused(Condition.FORBIDDEN, AppCondition.CAN_ONLY_UNSUBSCRIBE_SELF, () -> channels.unsubscribe(juliet, node, romeo.jid()));
        channels.setAffiliation(juliet, node, romeo.jid(), Affiliation.OWNER);
        assertEquals(Affiliation.NONE, channels.unsubscribe(juliet, node, juliet.jid()).affiliation(), "with a second owner the first may go");
        assertRefused(Condition.CONFLICT, AppCondition.NODE_MUST_HAVE_OWNER, () -> channels.unsubscribe(romeo, node, romeo.jid()));
    }

    @Test
    void twoOwnersLeavingAtOnceLeaveOneBehind() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                Actor juliet = user("juliet");
                Actor romeo = user("romeo");
                NodeName node = posts(juliet);
                channels.subscribe(romeo, node);
                channels.setAffiliation(juliet, node, romeo.jid(), Affiliation.OWNER);
                var start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Boolean>> left = new java.util.ArrayList<>();
                for (Actor owner : List.of(juliet, romeo)) {
                    left.add(pool.submit(() -> {
                        start.await();
                        try {
                            channels.unsubscribe(owner, node, owner.jid());
                            return true;
                        } catch (DomainException e) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                int leavers = (left.get(0).get() ? 1 : 0) + (left.get(1).get() ? 1 : 0);
                assertEquals(1, leavers, "exactly one of the two may leave");
                assertEquals(1, queries.members(Actor.ANONYMOUS, node).stream().filter(m -> m.affiliation() == Affiliation.OWNER).count());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anEphemeralTopicMakesFollowersModeratorsAndEndsWithItsLastFollower() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        Jid topic = Jid.parse("tryst-" + UUID.randomUUID().toString().substring(0, 8) + "@topics.localhost");
        channels.createTopicChannel(juliet, topic, true);
        NodeName node = NodeName.of(topic, NodeName.POSTS);
        assertTrue(queries.configuration(Actor.ANONYMOUS, node).ephemeral());
        assertEquals(Affiliation.MODERATOR, channels.subscribe(romeo, node).affiliation());
        assertRefused(Condition.NOT_ACCEPTABLE, null, () -> channels.setAffiliation(juliet, node, romeo.jid(), Affiliation.PUBLISHER));
        assertRefused(Condition.NOT_ALLOWED, AppCondition.CAN_NOT_DELETE_EPHEMERAL_NODE, () -> channels.deleteChannel(juliet, topic));
        channels.unsubscribe(juliet, node, juliet.jid());
        assertEquals(1, queries.members(Actor.ANONYMOUS, node).size(), "the owner may leave while others talk");
        channels.unsubscribe(romeo, node, romeo.jid());
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> queries.configuration(Actor.ANONYMOUS, node));

        NodeName app = NodeName.of(juliet.jid(), "x-whispers");
        channels.createNode(juliet, app, true);
        assertRefused(Condition.NOT_ALLOWED, AppCondition.CAN_NOT_DELETE_EPHEMERAL_NODE, () -> channels.deleteNode(juliet, app));
        channels.unsubscribe(juliet, app, juliet.jid());
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> queries.configuration(Actor.ANONYMOUS, app));
    }

    @Test
    void theCatchUpShowsMembershipChangesAsNotificationsWould() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        Actor tybalt = user("tybalt");
        NodeName node = posts(juliet);
        Instant since = Instant.now().minusSeconds(1);
        channels.subscribe(romeo, node);
        channels.subscribe(tybalt, node);
        channels.setAffiliation(juliet, node, tybalt.jid(), Affiliation.OUTCAST);
        List<Jid> seenByRomeo = queries.membershipChanges(romeo, since, Instant.now(), 100).stream()
                .filter(c -> c.node().equals(node)).map(c -> c.membership().jid()).toList();
        assertTrue(seenByRomeo.contains(romeo.jid()));
        assertFalse(seenByRomeo.contains(tybalt.jid()), "a ban is the moderators' business");
        assertTrue(queries.membershipChanges(juliet, since, Instant.now(), 100).stream()
                .anyMatch(c -> c.node().equals(node) && c.membership().affiliation() == Affiliation.OUTCAST));
        assertTrue(queries.membershipChanges(romeo, Instant.now().plusSeconds(5), Instant.now().plusSeconds(10), 100).isEmpty());
        assertRefused(Condition.NOT_AUTHORIZED, null, () -> queries.membershipChanges(Actor.ANONYMOUS, since, Instant.now(), 100));
    }

    @Test
    void topicChannelsAndAppNodes() {
        Actor juliet = user("juliet");
        Jid topic = Jid.parse("verona-" + UUID.randomUUID().toString().substring(0, 6) + "@topics.localhost");
        Channel channel = channels.createTopicChannel(juliet, topic);
        assertEquals(juliet.jid(), channel.owner());
        NodeName node = NodeName.of(topic, NodeName.POSTS);
        Actor romeo = user("romeo");
        assertEquals(Affiliation.PUBLISHER, channels.subscribe(romeo, node).affiliation(), "followers of topics may post");
        channels.publish(romeo, node, text("hello verona"));
        assertRefused(Condition.CONFLICT, null, () -> channels.createTopicChannel(romeo, topic));
        assertRefused(Condition.BAD_REQUEST, AppCondition.INVALID_JID, () -> channels.createTopicChannel(juliet, Jid.parse("x@localhost")));
        assertRefused(Condition.NOT_AUTHORIZED, null, () -> channels.createTopicChannel(Actor.ANONYMOUS, topic));

        NodeName chess = NodeName.of(juliet.jid(), "x-chess-moves");
        channels.createNode(juliet, chess);
        channels.publish(juliet, chess, text("e4"));
        assertRefused(Condition.CONFLICT, null, () -> channels.createNode(juliet, chess));
        assertRefused(Condition.FORBIDDEN, null, () -> channels.createNode(romeo, NodeName.of(juliet.jid(), "x-other")));
        assertRefused(Condition.BAD_REQUEST, null, () -> channels.createNode(juliet, NodeName.of(juliet.jid(), "content")));
        assertRefused(Condition.NOT_ALLOWED, null, () -> channels.deleteNode(juliet, NodeName.of(juliet.jid(), NodeName.STATUS)));
        channels.deleteNode(juliet, chess);
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> queries.items(juliet, chess, Page.first(5), false));

        assertRefused(Condition.FORBIDDEN, null, () -> channels.deleteChannel(romeo, topic));
        channels.deleteChannel(juliet, topic);
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> queries.items(juliet, node, Page.first(5), false));
    }

    @Test
    void recentItemsComeFromEveryFollowedChannelInOneCall() {
        Actor reader = user("reader");
        Instant since = Instant.now().minusSeconds(1);
        List<Actor> authors = IntStream.range(0, 5).mapToObj(i -> user("author" + i)).toList();
        for (Actor author : authors) {
            channels.subscribe(reader, posts(author));
            for (int i = 0; i < 3; i++) {
                channels.publish(author, posts(author), text(author.jid() + " " + i));
            }
        }
        Actor secret = user("secret");
        channels.configure(secret, posts(secret), ConfigChange.of(null, null, AccessModel.AUTHORIZE, null));
        channels.subscribe(reader, posts(secret));
        channels.publish(secret, posts(secret), text("not for the reader yet"));
        Map<NodeName, List<Post>> recent = queries.recentItems(reader, since, 2, false);
        assertEquals(5, recent.size());
        recent.values().forEach(list -> assertEquals(2, list.size()));
        assertFalse(recent.containsKey(posts(secret)), "a pending subscription reads nothing");
        assertRefused(Condition.NOT_AUTHORIZED, null, () -> queries.recentItems(Actor.ANONYMOUS, since, 2, false));
        assertRefused(Condition.BAD_REQUEST, AppCondition.SINCE_REQUIRED, () -> queries.recentItems(reader, null, 2, false));
        assertEquals(15, queries.followedItems(reader, since, Page.first(50)).items().size());
        // replies are left out on request, and nothing before since comes back
        Post parent = recent.get(posts(authors.get(0))).get(0);
        channels.publish(authors.get(0), posts(authors.get(0)), text("a reply").replyingTo(parent.id()));
        assertTrue(queries.recentItems(reader, since, 10, true).get(posts(authors.get(0))).stream().noneMatch(Post::isReply));
        assertEquals(4, queries.recentItems(reader, since, 10, false).get(posts(authors.get(0))).size());
        assertTrue(queries.recentItems(reader, Instant.now().plusSeconds(5), 10, false).isEmpty());
    }

    @Test
    void firehoseAndSearchShowOnlyWhatTheCallerMayRead() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        String word = "balcony" + UUID.randomUUID().toString().substring(0, 6).replace("-", "");
        Post open = channels.publish(juliet, posts(juliet), text("the " + word + " is open"));
        channels.configure(romeo, posts(romeo), ConfigChange.of(null, null, AccessModel.AUTHORIZE, null));
        Post hidden = channels.publish(romeo, posts(romeo), text("the " + word + " is secret"));
        List<String> anonymous = ids(queries.search(Actor.ANONYMOUS, word, null, Page.first(10)));
        assertEquals(List.of(open.id()), anonymous);
        assertTrue(ids(queries.search(romeo, word, null, Page.first(10))).containsAll(List.of(open.id(), hidden.id())));
        assertEquals(List.of(hidden.id()), ids(queries.search(romeo, word, romeo.jid(), Page.first(10))));
        assertFalse(ids(queries.firehose(Actor.ANONYMOUS, Page.first(200))).contains(hidden.id()));
        assertTrue(ids(queries.firehose(romeo, Page.first(200))).contains(hidden.id()));
        Actor nurse = user("nurse");
        assertFalse(ids(queries.firehose(nurse, Page.first(200))).contains(hidden.id()));
        assertRefused(Condition.BAD_REQUEST, null, () -> queries.search(nurse, " ", null, Page.first(10)));
        // every word must occur; an author alone is a search too
        assertEquals(List.of(open.id()), ids(queries.search(Actor.ANONYMOUS, "OPEN " + word, null, Page.first(10))));
        assertEquals(List.of(), ids(queries.search(Actor.ANONYMOUS, "secret " + word, null, Page.first(10))));
        assertEquals(List.of(open.id()), ids(queries.search(Actor.ANONYMOUS, null, juliet.jid(), Page.first(10))));
    }

    @Test
    void theSubscriptionsNodeListsWhatItsOwnerFollows() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        Actor nurse = user("nurse");
        channels.subscribe(juliet, posts(romeo));
        channels.configure(nurse, posts(nurse), ConfigChange.of(null, null, AccessModel.AUTHORIZE, null));
        channels.subscribe(juliet, posts(nurse));
        List<ChannelQueries.Followee> followees = queries.followees(Actor.ANONYMOUS, juliet.jid());
        assertEquals(List.of(romeo.jid()), followees.stream().map(ChannelQueries.Followee::channel).toList(), "pending ones are left out");
        assertTrue(queries.subscriptionsOf(juliet, juliet.jid()).stream().anyMatch(m -> m.node().equals(posts(nurse))));
        assertFalse(queries.subscriptionsOf(romeo, juliet.jid()).stream().anyMatch(m -> m.node().equals(posts(nurse))));
        assertEquals(Optional.of(AccessModel.AUTHORIZE), queries.subscriptionsWithConfiguration(juliet).stream()
                .filter(f -> f.node().equals(posts(nurse))).map(f -> f.config().accessModel()).findFirst());
    }

    @Test
    void deletingAnAccountTakesItsChannelMembershipsAndPosts() {
        Actor juliet = user("juliet");
        Actor romeo = user("romeo");
        channels.subscribe(romeo, posts(juliet));
        channels.setAffiliation(juliet, posts(juliet), romeo.jid(), Affiliation.PUBLISHER);
        Post post = channels.publish(romeo, posts(juliet), text("remember me"));
        accounts.delete(romeo.jid());
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> queries.item(juliet, posts(juliet), post.id()));
        assertTrue(queries.members(juliet, posts(juliet)).stream().noneMatch(m -> m.jid().equals(romeo.jid())));
        assertRefused(Condition.ITEM_NOT_FOUND, null, () -> queries.configuration(juliet, posts(romeo)));
    }

    private static List<String> ids(Slice<Post> slice) {
        return slice.items().stream().map(Post::id).toList();
    }

    private static void assertRefused(Condition condition, AppCondition reason, Executable call) {
        DomainException refusal = assertThrows(DomainException.class, call);
        assertEquals(condition, refusal.condition(), refusal.getMessage());
        if (reason != null) {
            assertEquals(Optional.of(reason), refusal.appCondition(), refusal.getMessage());
        }
    }

}
