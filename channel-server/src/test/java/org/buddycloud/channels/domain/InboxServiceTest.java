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
import java.util.UUID;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.service.AccountTransactions;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.channels.service.InboxTransactions;
import org.buddycloud.channels.service.InboxTransactions.RemoteItem;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The inbox driven directly, against the real database: copies of another domain's nodes are made, changed and
 * dropped only with what that domain's server said, and applying the same thing twice changes nothing.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class InboxServiceTest {

    private static final Instant NEW_YEAR = Instant.parse("2026-01-01T00:00:00Z");

    @Inject
    InboxTransactions inbox;

    @Inject
    ChannelTransactions channels;

    @Inject
    ChannelQueries queries;

    @Inject
    AccountTransactions accounts;

    @Inject
    AtomEntries atom;

    private Actor localUser(String name) {
        String username = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return Actor.of(accounts.register(username, "a-good-password", username + "@example.com").jid());
    }

    /** The posts node of a channel of capulet.lit, named afresh for each test so that no copy is shared. */
    private static NodeName remoteNode() {
        return NodeName.of(Jid.parse("juliet-" + UUID.randomUUID().toString().substring(0, 8) + "@capulet.lit"), NodeName.POSTS);
    }

    private RemoteItem entry(NodeName node, String id, String content, Instant updated) {
        return entry(node, id, content, updated, null);
    }

    /** An item as capulet.lit's channel server sends it: its author as an acct: URI, published on new year's day. */
    private RemoteItem entry(NodeName node, String id, String content, Instant updated, String parentId) {
        String reply = parentId == null ? ""
                : "<thr:in-reply-to xmlns:thr='http://purl.org/syndication/thread/1.0' ref='tag:capulet.lit," + node + "," + parentId + "'/>";
        String xml = "<entry xmlns='http://www.w3.org/2005/Atom'><id>tag:capulet.lit," + node + "," + id + "</id>"
                + "<title>Post</title><content type='text'>" + content + "</content>"
                + "<published>" + NEW_YEAR + "</published><updated>" + updated + "</updated>"
                + "<author><name>juliet@capulet.lit</name><uri>acct:juliet@capulet.lit</uri></author>" + reply + "</entry>";
        return new RemoteItem(id, atom.parseRemote(xml));
    }

    private int apply(NodeName node, RemoteItem item) {
        return inbox.posts(node, List.of(item));
    }

    private NodeName followedCopy(Actor follower) {
        NodeName node = remoteNode();
        assertTrue(inbox.requestedSubscription(node, follower.jid(), Subscription.SUBSCRIBED), "the follower may read the node now");
        return node;
    }

    @Test
    void aLocalUsersSubscriptionMakesACopyHeReads() {
        Actor romeo = localUser("romeo");
        NodeName node = remoteNode();
        assertRefused(Condition.ITEM_NOT_FOUND, () -> queries.items(romeo, node, Page.first(10), false));
        assertTrue(inbox.requestedSubscription(node, romeo.jid(), Subscription.SUBSCRIBED));
        assertEquals(0, queries.items(romeo, node, Page.first(10), false).count());
        assertEquals(Subscription.SUBSCRIBED, queries.members(romeo, node).stream().filter(m -> m.jid().equals(romeo.jid()))
                .map(Membership::subscription).findFirst().orElseThrow());
        assertFalse(inbox.requestedSubscription(node, romeo.jid(), Subscription.SUBSCRIBED), "he could read it already");
    }

    @Test
    void aRemoteUsersSubscriptionMakesNoCopy() {
        NodeName node = remoteNode();
        assertFalse(inbox.requestedSubscription(node, Jid.parse("tybalt@capulet.lit"), Subscription.SUBSCRIBED));
        Actor romeo = localUser("romeo");
        assertRefused(Condition.ITEM_NOT_FOUND, () -> queries.configuration(romeo, node));
    }

    @Test
    void aPostAppliedTwiceChangesTheCopyOnce() {
        Actor romeo = localUser("romeo");
        NodeName node = followedCopy(romeo);
        RemoteItem post = entry(node, "p1", "hi", NEW_YEAR);
        assertEquals(1, apply(node, post));
        assertEquals(0, apply(node, post), "the same id and update time is the same post");
        assertEquals(1, queries.items(romeo, node, Page.first(10), false).count());
        assertEquals("hi", queries.item(romeo, node, "p1").content());
    }

    @Test
    void aNewerUpdateReplacesThePostAndAnOlderOneDoesNot() {
        Actor romeo = localUser("romeo");
        NodeName node = followedCopy(romeo);
        assertEquals(1, apply(node, entry(node, "p1", "hi", NEW_YEAR)));
        Instant edited = NEW_YEAR.plusSeconds(3600);
        assertEquals(1, apply(node, entry(node, "p1", "hi again", edited)));
        Post kept = queries.item(romeo, node, "p1");
        assertEquals("hi again", kept.content());
        assertEquals(edited, kept.updated());
        assertEquals(NEW_YEAR, kept.published(), "an edit keeps the publication time");
        assertEquals(0, apply(node, entry(node, "p1", "stale", NEW_YEAR.plusSeconds(60))), "older than the copy's version");
        assertEquals("hi again", queries.item(romeo, node, "p1").content());
        assertEquals(1, queries.items(romeo, node, Page.first(10), false).count());
    }

    @Test
    void aReplyArrivingBeforeItsParentIsKept() {
        Actor romeo = localUser("romeo");
        NodeName node = followedCopy(romeo);
        assertEquals(1, apply(node, entry(node, "r1", "re: hi", NEW_YEAR, "p1")));
        Post reply = queries.item(romeo, node, "r1");
        assertEquals("p1", reply.inReplyTo());
        assertEquals(1, apply(node, entry(node, "p1", "hi", NEW_YEAR)));
        ChannelQueries.Thread thread = queries.thread(romeo, node, "r1");
        assertEquals("p1", thread.parent().id());
        assertEquals(List.of("r1"), thread.replies().stream().map(Post::id).toList());
    }

    @Test
    void retractingATopLevelPostRemovesItsReplies() {
        Actor romeo = localUser("romeo");
        NodeName node = followedCopy(romeo);
        assertEquals(3, inbox.posts(node, List.of(entry(node, "p1", "hi", NEW_YEAR), entry(node, "r1", "re: hi", NEW_YEAR, "p1"),
                entry(node, "p2", "another", NEW_YEAR))));
        assertTrue(inbox.retract(node, "p1"));
        assertRefused(Condition.ITEM_NOT_FOUND, () -> queries.item(romeo, node, "r1"));
        assertRefused(Condition.ITEM_NOT_FOUND, () -> queries.item(romeo, node, "p1"));
        assertEquals(List.of("p2"), queries.items(romeo, node, Page.first(10), false).items().stream().map(Post::id).toList());
        assertFalse(inbox.retract(node, "p1"), "a copy lacking the item has nothing to retract");
    }

    @Test
    void anItemTheCopyRefusesLeavesTheRestOfItsPageKept() {
        Actor romeo = localUser("romeo");
        NodeName node = followedCopy(romeo);
        assertEquals(2, inbox.posts(node, List.of(entry(node, "p1", "hi", NEW_YEAR), entry(node, "r1", "re: hi", NEW_YEAR, "p1"))));
        // a reply to a reply is refused here (replies are one level deep), whatever the origin accepted
        List<RemoteItem> page = List.of(entry(node, "r2", "re: re: hi", NEW_YEAR, "r1"), entry(node, "p2", "another", NEW_YEAR));
        assertEquals(1, inbox.posts(node, page));
        assertEquals("another", queries.item(romeo, node, "p2").content());
        assertRefused(Condition.ITEM_NOT_FOUND, () -> queries.item(romeo, node, "r2"));
    }

    @Test
    void theCopyStaysWhileALocalFollowerRemainsAndGoesWithTheLast() {
        Actor romeo = localUser("romeo");
        Actor benvolio = localUser("benvolio");
        NodeName node = followedCopy(romeo);
        assertTrue(inbox.requestedSubscription(node, benvolio.jid(), Subscription.SUBSCRIBED));
        apply(node, entry(node, "p1", "hi", NEW_YEAR));
        assertFalse(inbox.subscription(node, romeo.jid(), Subscription.NONE));
        assertEquals("hi", queries.item(benvolio, node, "p1").content(), "benvolio still follows");
        assertFalse(inbox.subscription(node, benvolio.jid(), Subscription.NONE));
        assertRefused(Condition.ITEM_NOT_FOUND, () -> queries.items(benvolio, node, Page.first(10), false));
        assertRefused(Condition.ITEM_NOT_FOUND, () -> queries.configuration(romeo, node));
        assertEquals(0, apply(node, entry(node, "p2", "nobody hears", NEW_YEAR)), "posts of a node nobody here follows are not kept");
    }

    @Test
    void anOutcastFollowsNoMore() {
        Actor romeo = localUser("romeo");
        Actor benvolio = localUser("benvolio");
        NodeName node = followedCopy(romeo);
        assertTrue(inbox.requestedSubscription(node, benvolio.jid(), Subscription.SUBSCRIBED));
        assertFalse(inbox.affiliation(node, romeo.jid(), Affiliation.OUTCAST));
        assertRefused(Condition.FORBIDDEN, () -> queries.items(romeo, node, Page.first(10), false));
        assertTrue(queries.members(benvolio, node).stream().noneMatch(m -> m.jid().equals(romeo.jid())), "romeo is no follower");
        // were romeo still counted as a follower, benvolio leaving would keep the copy
        inbox.subscription(node, benvolio.jid(), Subscription.NONE);
        assertRefused(Condition.ITEM_NOT_FOUND, () -> queries.configuration(benvolio, node));
    }

    @Test
    void theOriginCannotMakeALocalUserFollowWhatHeDidNotAskFor() {
        Actor romeo = localUser("romeo");
        Actor benvolio = localUser("benvolio");
        NodeName unasked = remoteNode();
        assertFalse(inbox.subscription(unasked, romeo.jid(), Subscription.SUBSCRIBED), "no copy from an announcement alone");
        assertRefused(Condition.ITEM_NOT_FOUND, () -> queries.configuration(romeo, unasked));
        NodeName node = followedCopy(romeo);
        assertFalse(inbox.subscription(node, benvolio.jid(), Subscription.SUBSCRIBED));
        assertTrue(queries.members(romeo, node).stream().noneMatch(m -> m.jid().equals(benvolio.jid())),
                "benvolio follows what he never asked for");
    }

    @Test
    void aChannelLocalToItsOwnDomainIsMembersOnlyInOurCopy() {
        Actor romeo = localUser("romeo");
        Actor tybalt = localUser("tybalt");
        NodeName node = followedCopy(romeo);
        Instant now = Instant.now();
        inbox.configure(node, new NodeConfig("Juliet's", "", AccessModel.LOCAL, Affiliation.MEMBER, ChannelType.PERSONAL,
                node.channel(), now, now, true, NodeConfig.ATOM, null, false));
        apply(node, entry(node, "p1", "for capulets only", NEW_YEAR));
        assertEquals(AccessModel.AUTHORIZE, queries.configuration(romeo, node).accessModel(), "local there is not local here");
        assertEquals(1, queries.items(romeo, node, Page.first(10), false).items().size(), "her follower reads it");
        assertRefused(Condition.FORBIDDEN, () -> queries.items(tybalt, node, Page.first(10), false));
    }

    @Test
    void anotherServerCannotChangeANodeOfOurs() {
        Actor juliet = localUser("juliet");
        NodeName ours = NodeName.of(juliet.jid(), NodeName.POSTS);
        Jid tybalt = Jid.parse("tybalt@capulet.lit");
        assertRefused(Condition.FORBIDDEN, () -> inbox.requestedSubscription(ours, tybalt, Subscription.SUBSCRIBED));
        assertRefused(Condition.FORBIDDEN, () -> inbox.affiliation(ours, juliet.jid(), Affiliation.OUTCAST));
        assertRefused(Condition.FORBIDDEN, () -> inbox.posts(ours, List.of(entry(ours, "p1", "forged", NEW_YEAR))));
        Post post = channels.publish(juliet, ours, PostDraft.text("mine"));
        assertRefused(Condition.FORBIDDEN, () -> inbox.retract(ours, post.id()));
        assertRefused(Condition.FORBIDDEN, () -> inbox.deleted(ours));
        assertEquals("mine", queries.item(juliet, ours, post.id()).content());
        assertTrue(queries.members(juliet, ours).stream().noneMatch(m -> m.jid().equals(tybalt)));
    }

    @Test
    void aLocalUserCannotWriteToACopy() {
        Actor romeo = localUser("romeo");
        NodeName node = followedCopy(romeo);
        // a publisher by the origin's word, so only the copy's guard stands in his way
        inbox.affiliation(node, romeo.jid(), Affiliation.PUBLISHER);
        apply(node, entry(node, "p1", "hi", NEW_YEAR));
        assertRefused(Condition.NOT_ALLOWED, () -> channels.publish(romeo, node, PostDraft.text("written here")));
        assertRefused(Condition.NOT_ALLOWED, () -> channels.retract(romeo, node, "p1"));
        assertRefused(Condition.NOT_ALLOWED, () -> channels.subscribe(localUser("benvolio"), node));
        assertEquals(List.of("p1"), queries.items(romeo, node, Page.first(10), false).items().stream().map(Post::id).toList());
    }

    @Test
    void aCopiedPostKeepsItsRemoteAuthorAndTimes() {
        Actor romeo = localUser("romeo");
        NodeName node = followedCopy(romeo);
        Instant updated = NEW_YEAR.plusSeconds(90);
        apply(node, entry(node, "p1", "hi", updated));
        Post post = queries.item(romeo, node, "p1");
        assertEquals(Jid.parse("juliet@capulet.lit"), post.author());
        assertEquals(NEW_YEAR, post.published());
        assertEquals(updated, post.updated());
        assertEquals("Post", post.title());
    }

    private static void assertRefused(Condition condition, Executable call) {
        DomainException refusal = assertThrows(DomainException.class, call);
        assertEquals(condition, refusal.condition(), refusal.getMessage());
    }
}
