package org.buddycloud.gateway.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LiveHubTest {

    private static final Jid JULIET = Jid.parse("juliet@localhost");
    private static final Jid ROMEO = Jid.parse("romeo@localhost");
    private static final Jid TYBALT = Jid.parse("tybalt@localhost");
    private static final String POSTS = "/user/juliet@localhost/posts";

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T10:00:00Z"));
    private final LiveHub hub = new LiveHub(new Members(), new LiveRule(new Permissions("localhost")), 1000,
            Duration.ofMinutes(10), now::get);
    private final LiveEvents events = new LiveEvents(new ObjectMapper().findAndRegisterModules());
    private long postsOffset;
    private long membershipsOffset;

    LiveHubTest() {
        hub.partitionStarts("p0", 0, 0);
        hub.partitionStarts("m0", 0, 0);
        hub.partitionStarts("c0", 0, 0);
        channel(AccessModel.OPEN);
    }

    /** Who hears a post, for every access model and every standing: the shared rule's answer, nothing else. */
    @ParameterizedTest
    @EnumSource(AccessModel.class)
    void aPostReachesExactlyTheFollowersAndOwnersWhoMayReadIt(AccessModel model) {
        configure(model);
        Recorder follower = open(ROMEO);
        Recorder pendingOne = open(TYBALT);
        Recorder owner = open(JULIET);
        Recorder stranger = open(Jid.parse("benvolio@capulet.lit"));
        Recorder watcher = watch(Optional.of(Jid.parse("mercutio@capulet.lit")), JULIET);
        Recorder anonymousWatcher = watch(Optional.empty(), JULIET);
        membership(ROMEO, Affiliation.MEMBER, Subscription.SUBSCRIBED, model);
        membership(TYBALT, Affiliation.NONE, Subscription.PENDING, model);
        post("1", model);

        boolean open = model == AccessModel.OPEN;
        assertEquals(1, count(owner, "post"), "the owner");
        assertEquals(1, count(follower, "post"), "an approved member follower");
        assertEquals(0, count(pendingOne, "post"), "a follower still waiting for approval: not a follower yet");
        assertEquals(0, count(stranger, "post"), "someone who follows nothing there");
        assertEquals(open ? 1 : 0, count(watcher, "post"), "a remote watcher only of an open channel");
        assertEquals(open ? 1 : 0, count(anonymousWatcher, "post"), "an anonymous watcher only of an open channel");
    }

    @Test
    void aFollowRequestReachesTheOwnerAndTheRequesterOnly() {
        Recorder owner = open(JULIET);
        Recorder requester = open(TYBALT);
        Recorder follower = open(ROMEO);
        membership(ROMEO, Affiliation.MEMBER, Subscription.SUBSCRIBED, AccessModel.AUTHORIZE);
        membership(TYBALT, Affiliation.NONE, Subscription.PENDING, AccessModel.AUTHORIZE);
        assertEquals(2, count(owner, "subscription"));
        assertEquals(1, count(requester, "subscription"));
        assertEquals(1, count(follower, "subscription"), "romeo hears of himself, not of the pending tybalt");
    }

    @Test
    void anOutcastHearsNothingMore() {
        Recorder romeo = open(ROMEO);
        membership(ROMEO, Affiliation.MEMBER, Subscription.SUBSCRIBED, AccessModel.OPEN);
        post("1", AccessModel.OPEN);
        hub.record("m0", membershipsOffset++, new AffiliationChanged(JULIET, POSTS, ROMEO, Affiliation.OUTCAST,
                Affiliation.MEMBER, Subscription.NONE, JULIET, AccessModel.OPEN, now.get()), null);
        post("2", AccessModel.OPEN);
        assertEquals(List.of("1"), romeo.items());
    }

    @Test
    void resumingDeliversWhatWasMissedOnceAndThenWhatComes() {
        Recorder first = open(JULIET);
        post("1", AccessModel.OPEN);
        post("2", AccessModel.OPEN);
        Position afterFirst = first.positions.get(0);
        hub.close(first);
        post("3", AccessModel.OPEN);

        Recorder again = new Recorder(Optional.of(JULIET), Set.of());
        hub.open(again, Optional.of(afterFirst));
        post("4", AccessModel.OPEN);
        assertEquals(List.of("2", "3", "4"), again.items());
    }

    @Test
    void aPositionFromAReplicaThatIsAheadSkipsWhatItHadAlready() {
        post("1", AccessModel.OPEN);
        Position ahead = hub.position().with("p0", postsOffset + 1);
        Recorder resumed = new Recorder(Optional.of(JULIET), Set.of());
        hub.open(resumed, Optional.of(ahead));
        post("2", AccessModel.OPEN); // this replica's copy of what the client already had from the other
        post("3", AccessModel.OPEN);
        assertEquals(List.of("3"), resumed.items());
        assertTrue(resumed.positions.get(0).covers(ahead), "ids never go back");
    }

    @Test
    void aPositionOlderThanWhatIsHeldIsToldSo() {
        LiveHub small = new LiveHub(new Members(), new LiveRule(new Permissions("localhost")), 2, Duration.ofMinutes(10), now::get);
        small.partitionStarts("p0", 0, 0);
        Position start = small.position();
        for (int i = 0; i < 4; i++) {
            PostPublished published = new PostPublished(post(String.valueOf(i)), AccessModel.OPEN);
            long offset = i;
            small.record("p0", offset, published, after -> events.of(published, "p0", offset, after, now.get()));
        }
        Recorder late = new Recorder(Optional.empty(), Set.of(JULIET));
        small.open(late, Optional.of(start));
        assertEquals(1, late.resets);
    }

    @Test
    void aReplicaThatStartedLateResumesStreamsFromAnotherOnePositions() {
        // posts partitions begin at the resume window, far from offset 0, and may hold nothing recent yet
        LiveHub late = new LiveHub(new Members(), new LiveRule(new Permissions("localhost")), 100, Duration.ofMinutes(10), now::get);
        late.partitionStarts("p0", 500, 500);
        late.partitionStarts("p1", 90, 90);
        Recorder first = new Recorder(Optional.empty(), Set.of(JULIET));
        late.open(first, Optional.empty());
        PostPublished published = new PostPublished(post("x"), AccessModel.OPEN);
        late.record("p0", 500, published, after -> events.of(published, "p0", 500, after, now.get()));
        Position seen = first.positions.get(0);
        assertEquals(91, seen.next("p1") + 1, "the id names every partition, also one that had no record yet");

        Recorder resumed = new Recorder(Optional.empty(), Set.of(JULIET));
        late.open(resumed, Optional.of(seen));
        assertEquals(0, resumed.resets, "a position this replica handed out is one it can resume from");
    }

    @Test
    void aRetractedPostIsNotReplayedToStreamsThatComeBack() {
        Position before = hub.position();
        post("1", AccessModel.OPEN);
        PostRetracted retracted = new PostRetracted(JULIET, POSTS, "1", JULIET, null, JULIET, AccessModel.OPEN, now.get());
        long offset = postsOffset++;
        hub.record("p0", offset, retracted, after -> events.of(retracted, "p0", offset, after, now.get()));
        Recorder resumed = new Recorder(Optional.empty(), Set.of(JULIET));
        hub.open(resumed, Optional.of(before));
        assertEquals(List.of(), resumed.items());
        assertEquals(1, count(resumed, "retract"));
    }

    @Test
    void aChannelMadePrivateIsNotReplayedToStrangersFromWhenItWasOpen() {
        Position before = hub.position();
        post("1", AccessModel.OPEN);
        configure(AccessModel.AUTHORIZE);
        Recorder stranger = new Recorder(Optional.empty(), Set.of(JULIET));
        hub.open(stranger, Optional.of(before));
        assertEquals(List.of(), stranger.items());
    }

    @Test
    void aBatchIsPutInTheOrderItWasWrittenInKeepingEachPartitionsOrder() {
        record Rec(String partition, long time, int rank, String name) {
        }
        List<Rec> batch = List.of(new Rec("p0", 10, 2, "post-a"), new Rec("p0", 20, 2, "post-b"),
                new Rec("m0", 20, 1, "ban"), new Rec("m0", 5, 1, "late-clock"));
        List<String> merged = TimeOrder.merge(batch, Rec::partition, Rec::time, Rec::rank).stream().map(Rec::name).toList();
        // the ban written at the post's millisecond comes first; m0's own order stands even where its clock went back
        assertEquals(List.of("post-a", "ban", "late-clock", "post-b"), merged);
    }

    @Test
    void positionsSurviveTheirWrittenForm() {
        Position position = Position.START.with("p0", 12).with("m2", 7);
        assertEquals(position, Position.parse(position.encode()));
        assertThrows(IllegalArgumentException.class, () -> Position.parse("p0-1;drop"));
        assertThrows(IllegalArgumentException.class, () -> Position.parse(""));
    }

    @Test
    void retractionsReachTheSameListenersAsPosts() {
        Recorder romeo = open(ROMEO);
        membership(ROMEO, Affiliation.MEMBER, Subscription.SUBSCRIBED, AccessModel.OPEN);
        PostRetracted retracted = new PostRetracted(JULIET, POSTS, "1", JULIET, null, JULIET, AccessModel.OPEN, now.get());
        long offset = postsOffset++;
        hub.record("p0", offset, retracted, after -> events.of(retracted, "p0", offset, after, now.get()));
        assertEquals(1, count(romeo, "retract"));
    }

    private void configure(AccessModel model) {
        hub.record("c0", 1, new org.buddycloud.contracts.events.ChannelConfigured(JULIET, POSTS,
                new org.buddycloud.contracts.events.NodeSettings("t", "d", model, Affiliation.MEMBER, true, false),
                JULIET, now.get()), null);
    }

    private void channel(AccessModel model) {
        ChannelCreated created = new ChannelCreated(JULIET, ChannelType.PERSONAL, JULIET, model,
                List.of(new ChannelCreated.CreatedNode(POSTS, model)), now.get());
        hub.record("c0", 0, created, null);
    }

    private void membership(Jid jid, Affiliation affiliation, Subscription subscription, AccessModel model) {
        SubscriptionChanged changed = new SubscriptionChanged(JULIET, POSTS, jid, subscription, Subscription.NONE,
                affiliation, jid, model, now.get());
        long offset = membershipsOffset++;
        hub.record("m0", offset, changed, after -> events.of(changed, "m0", offset, after, now.get()));
    }

    private void post(String id, AccessModel model) {
        PostPublished published = new PostPublished(post(id), model);
        long offset = postsOffset++;
        hub.record("p0", offset, published, after -> events.of(published, "p0", offset, after, now.get()));
    }

    private Post post(String id) {
        return new Post(JULIET, POSTS, id, "tag:localhost," + POSTS + "," + id, JULIET, null, null, now.get(), now.get(),
                null, "post " + id, "text", null, null, List.of(), List.of(), null);
    }

    private Recorder open(Jid jid) {
        Recorder recorder = new Recorder(Optional.of(jid), Set.of());
        hub.open(recorder, Optional.empty());
        return recorder;
    }

    private Recorder watch(Optional<Jid> jid, Jid channel) {
        Recorder recorder = new Recorder(jid, Set.of(channel));
        hub.open(recorder, Optional.empty());
        return recorder;
    }

    private static long count(Recorder recorder, String name) {
        return recorder.received.stream().filter(e -> e.name().equals(name)).count();
    }

    private static final class Recorder extends PositionedListener {
        final List<LiveEvent> received = new ArrayList<>();
        final List<Position> positions = new ArrayList<>();
        int resets;

        Recorder(Optional<Jid> jid, Set<Jid> channels) {
            super(jid, channels);
        }

        @Override
        protected void send(LiveEvent event, String id) {
            received.add(event);
            positions.add(Position.parse(id));
        }

        @Override
        public void missedTooMuch(Position heldFrom) {
            resets++;
        }

        List<String> items() {
            return received.stream().filter(LiveEvent::isPost).map(LiveEvent::itemId).toList();
        }
    }
}
