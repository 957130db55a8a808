package org.buddycloud.search.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.NodeSettings;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.Test;

class IndexPlannerTest {

    private static final Jid JULIET = Jid.parse("juliet@capulet.lit");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    /** An index that holds the given entry (or none) and the given removals. */
    private static IndexState holding(ChannelEntry entry, Map<String, Instant> removals) {
        return new IndexState() {
            @Override
            public Optional<ChannelEntry> channel(Jid channel) {
                return Optional.ofNullable(entry).filter(e -> e.channel().equals(channel));
            }

            @Override
            public Optional<Instant> removedAt(Removed kind, Jid jid) {
                return Optional.ofNullable(removals.get(kind + " " + jid));
            }
        };
    }

    private static final IndexState EMPTY = holding(null, Map.of());

    private static Post post(String node, String id, Instant at) {
        return new Post(JULIET, node, id, "tag:capulet.lit," + node + "," + id, JULIET, null, null, at, at, null, "hello", "text",
                null, null, List.of(), List.of(), null);
    }

    private static NodeSettings settings(AccessModel model, NodeSettings.Place place) {
        return new NodeSettings("Juliet", "on the balcony", model, Affiliation.MEMBER, true, false, place);
    }

    @Test
    void onlyTheChannelsPostsNodeIsIndexed() {
        IndexPlanner planner = new IndexPlanner(EMPTY);
        planner.plan(new PostPublished(post("/user/juliet@capulet.lit/status", "s", T0), AccessModel.OPEN));
        planner.plan(new PostPublished(post("/user/juliet@capulet.lit/posts", "p", T0), AccessModel.OPEN));
        planner.plan(new PostRetracted(JULIET, "/user/juliet@capulet.lit/status", "s", JULIET, null, JULIET, AccessModel.OPEN, T0));
        assertEquals(1, planner.changes().size());
        assertEquals("p", ((IndexChange.PutPost) planner.changes().get(0)).post().itemId());
    }

    @Test
    void aChannelIsBuiltFromItsCreationAndConfigurationsWithItsPlace() {
        IndexPlanner planner = new IndexPlanner(EMPTY);
        planner.plan(new ChannelCreated(JULIET, ChannelType.PERSONAL, JULIET, AccessModel.OPEN, List.of(), T0, settings(AccessModel.OPEN, null)));
        planner.plan(new ChannelConfigured(JULIET, "/user/juliet@capulet.lit/posts",
                settings(AccessModel.OPEN, new NodeSettings.Place(45.4, 10.9, "Verona")), JULIET, T0.plusSeconds(5)));
        ChannelEntry entry = ((IndexChange.PutChannel) planner.changes().get(1)).channel();
        assertEquals(ChannelType.PERSONAL, entry.type(), "kept from the creation");
        assertEquals(JULIET, entry.owner());
        assertEquals(45.4, entry.lat());
        assertEquals("Verona", entry.place());
        assertEquals(2, planner.changes().size(), "the same access model rewrites no post");
    }

    @Test
    void aPostOlderThanTheChannelsLastAccessModelIsJudgedByThatModel() {
        ChannelEntry privateNow = new ChannelEntry(JULIET, ChannelType.PERSONAL, JULIET, "t", "d", AccessModel.AUTHORIZE,
                Affiliation.MEMBER, true, T0, T0.plusSeconds(60), null, null, null);
        IndexPlanner planner = new IndexPlanner(holding(privateNow, Map.of()));
        planner.plan(new PostPublished(post("/user/juliet@capulet.lit/posts", "old", T0), AccessModel.OPEN));
        planner.plan(new PostPublished(post("/user/juliet@capulet.lit/posts", "new", T0.plusSeconds(120)), AccessModel.WHITELIST));
        assertEquals(AccessModel.AUTHORIZE, ((IndexChange.PutPost) planner.changes().get(0)).post().accessModel());
        assertEquals(AccessModel.WHITELIST, ((IndexChange.PutPost) planner.changes().get(1)).post().accessModel());
    }

    @Test
    void aNewAccessModelRewritesPostsAndADeletedAccountTakesItsWritingsAlong() {
        ChannelEntry open = new ChannelEntry(JULIET, ChannelType.PERSONAL, JULIET, "t", "d", AccessModel.OPEN,
                Affiliation.MEMBER, true, T0, T0, null, null, null);
        IndexPlanner planner = new IndexPlanner(holding(open, Map.of()));
        planner.plan(new ChannelConfigured(JULIET, "/user/juliet@capulet.lit/posts", settings(AccessModel.AUTHORIZE, null), JULIET, T0));
        planner.plan(new AccountDeleted(JULIET, T0, 2));
        List<IndexChange> changes = planner.changes();
        assertEquals(new IndexChange.ChangeAccess(JULIET, AccessModel.AUTHORIZE), changes.get(1));
        assertEquals(new IndexChange.RemoveChannel(JULIET, true, T0), changes.get(2));
        assertInstanceOf(IndexChange.RemoveAuthor.class, changes.get(3));
    }

    @Test
    void whatWasWrittenBeforeADeletionStaysOutWhenItArrivesLate() {
        // a rebuild reads the channels and accounts topics ahead of the posts: the deletion comes first
        IndexPlanner planner = new IndexPlanner(EMPTY);
        planner.plan(new AccountDeleted(JULIET, T0.plusSeconds(60), 2));
        planner.plan(new PostPublished(post("/user/juliet@capulet.lit/posts", "before", T0), AccessModel.OPEN));
        planner.plan(new ChannelCreated(JULIET, ChannelType.PERSONAL, JULIET, AccessModel.OPEN, List.of(), T0, settings(AccessModel.OPEN, null)));
        Post elsewhere = new Post(Jid.parse("verona@topics.capulet.lit"), "/user/verona@topics.capulet.lit/posts", "x", "tag:x", JULIET,
                null, null, T0, T0, null, "hello", "text", null, null, List.of(), List.of(), null);
        planner.plan(new PostPublished(elsewhere, AccessModel.OPEN));
        assertEquals(List.of(IndexChange.RemoveChannel.class, IndexChange.RemoveAuthor.class),
                planner.changes().stream().map(Object::getClass).toList(), "nothing of the deleted account comes back");

        // across batches too, from what the index remembers; and a new account of the same name is new
        IndexPlanner later = new IndexPlanner(holding(null, Map.of("CHANNEL " + JULIET, T0.plusSeconds(60), "AUTHOR " + JULIET, T0.plusSeconds(60))));
        later.plan(new PostPublished(post("/user/juliet@capulet.lit/posts", "old", T0), AccessModel.OPEN));
        later.plan(new ChannelCreated(JULIET, ChannelType.PERSONAL, JULIET, AccessModel.OPEN, List.of(), T0.plusSeconds(120), settings(AccessModel.OPEN, null)));
        later.plan(new PostPublished(post("/user/juliet@capulet.lit/posts", "new", T0.plusSeconds(130)), AccessModel.OPEN));
        assertEquals(List.of(IndexChange.PutChannel.class, IndexChange.PutPost.class), later.changes().stream().map(Object::getClass).toList());
        assertEquals("new", ((IndexChange.PutPost) later.changes().get(1)).post().itemId());
    }

    @Test
    void aReplayedOlderDeletionDoesNotMoveTheRememberedOneBack() {
        IndexPlanner planner = new IndexPlanner(holding(null, Map.of("CHANNEL " + JULIET, T0.plusSeconds(60))));
        planner.plan(new ChannelDeleted(JULIET, JULIET, T0, List.of()));
        assertEquals(new IndexChange.RemoveChannel(JULIET, true, T0.plusSeconds(60)), planner.changes().get(0));
    }

    @Test
    void placesOffTheGlobeAreLeftOut() {
        IndexPlanner planner = new IndexPlanner(EMPTY);
        planner.plan(new ChannelCreated(JULIET, ChannelType.PERSONAL, JULIET, AccessModel.OPEN, List.of(), T0,
                settings(AccessModel.OPEN, new NodeSettings.Place(Double.NaN, 10.0, "nowhere"))));
        ChannelEntry entry = ((IndexChange.PutChannel) planner.changes().get(0)).channel();
        assertEquals(null, entry.lat());
        assertEquals("nowhere", entry.place());
    }
}
