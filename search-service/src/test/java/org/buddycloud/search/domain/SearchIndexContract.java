package org.buddycloud.search.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every engine must do alike: the same changes give the same answers, and nobody finds what the shared access
 * rule does not let them read. A subclass names the engine; waiting for an engine's refresh is its business
 * ({@link #settle}).
 */
public abstract class SearchIndexContract {

    protected static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    protected static final Readers READERS = new Readers(new Permissions("capulet.lit"));
    protected static final Actor ANONYMOUS = Actor.ANONYMOUS;

    protected SearchIndex index;

    /** A new, empty index of the engine under test. */
    protected abstract SearchIndex newIndex();

    /** Waits until what was applied is searchable (Elasticsearch refreshes once a second). */
    protected void settle(Supplier<Boolean> condition) {
        assertTrue(condition.get(), "the index does not show what was applied");
    }

    @BeforeEach
    void open() {
        index = newIndex();
    }

    @AfterEach
    void close() {
        if (index != null) {   // null when the engine was not there and the test was skipped
            index.close();
        }
    }

    protected static Jid jid(String text) {
        return Jid.parse(text);
    }

    protected static PostEntry post(String channel, String item, String author, String content, AccessModel model, Instant at) {
        return new PostEntry(jid(channel), "/user/" + channel + "/posts", item, jid(author), null, at, at, null, content, model, null, null);
    }

    protected static ChannelEntry channel(String channel, String title, String description, AccessModel model, Double lat, Double lon) {
        return new ChannelEntry(jid(channel), ChannelType.TOPIC, jid("owner@capulet.lit"), title, description, model,
                Affiliation.PUBLISHER, true, T0, T0, lat, lon, lat == null ? null : "somewhere");
    }

    protected void apply(IndexChange... changes) {
        index.apply(List.of(changes), Map.of());
    }

    protected static ReadFilter anybody() {
        return READERS.filterFor(ANONYMOUS, List.of());
    }

    protected static ReadFilter as(String jid, Readers.Standings... standings) {
        return READERS.filterFor(Actor.of(jid(jid)), List.of(standings));
    }

    protected static PostQuery words(String text) {
        return new PostQuery(SearchText.parse(text), PostQuery.Order.RELEVANCE, null, null, null, Page.first(20));
    }

    protected List<String> items(Hits<PostHit> hits) {
        return hits.hits().stream().map(h -> h.post().itemId()).toList();
    }

    protected List<String> postsFound(String text, ReadFilter filter) {
        return items(index.posts(words(text), filter));
    }

    @Test
    void findsPostsByWordsAndPhrasesWithHighlightsAndForgetsRetractedOnes() {
        apply(new IndexChange.PutPost(post("juliet@capulet.lit", "1", "juliet@capulet.lit", "Wherefore art thou Romeo", AccessModel.OPEN, T0)),
                new IndexChange.PutPost(post("juliet@capulet.lit", "2", "juliet@capulet.lit", "thou art the sun, Romeo", AccessModel.OPEN, T0.plusSeconds(1))),
                new IndexChange.PutPost(post("romeo@montague.lit", "3", "romeo@montague.lit", "a <b>rose</b> by any other name", AccessModel.OPEN, T0)));
        settle(() -> index.postCount() == 3);
        assertEquals(Set.of("1", "2"), Set.copyOf(postsFound("romeo thou", anybody())));
        assertEquals(List.of("1"), postsFound("\"art thou\"", anybody()), "a phrase keeps its words together and in order");
        assertEquals(List.of(), postsFound("\"thou wherefore\"", anybody()));
        PostHit rose = index.posts(words("rose"), anybody()).hits().get(0);
        assertTrue(rose.highlights().get(0).contains("<em>rose</em>"), rose.highlights().toString());
        assertFalse(rose.highlights().get(0).contains("<b>"), "the post's own markup is escaped: " + rose.highlights());

        apply(new IndexChange.RemovePost(jid("juliet@capulet.lit"), "1"));
        settle(() -> index.postCount() == 2);
        assertEquals(List.of("2"), postsFound("romeo", anybody()));
        apply(new IndexChange.RemovePost(jid("juliet@capulet.lit"), "1"));   // a replay changes nothing
        settle(() -> index.postCount() == 2);
    }

    @Test
    void editsReplaceThePostAndNewestFirstSortsByTheLastEdit() {
        apply(new IndexChange.PutPost(post("juliet@capulet.lit", "1", "juliet@capulet.lit", "balcony scene", AccessModel.OPEN, T0)),
                new IndexChange.PutPost(post("juliet@capulet.lit", "2", "juliet@capulet.lit", "balcony again", AccessModel.OPEN, T0.plusSeconds(60))));
        settle(() -> index.postCount() == 2);
        PostQuery newest = new PostQuery(SearchText.parse("balcony"), PostQuery.Order.NEWEST, null, null, null, Page.first(10));
        assertEquals(List.of("2", "1"), items(index.posts(newest, anybody())));
        apply(new IndexChange.PutPost(post("juliet@capulet.lit", "1", "juliet@capulet.lit", "balcony scene, edited", AccessModel.OPEN, T0.plusSeconds(120))));
        settle(() -> items(index.posts(newest, anybody())).equals(List.of("1", "2")));
        assertEquals(2, index.postCount(), "an edit replaces, it does not add");
        assertEquals(List.of("1"), postsFound("edited", anybody()));
    }

    @Test
    void narrowsByAuthorChannelAndFollowedChannels() {
        apply(new IndexChange.PutPost(post("juliet@capulet.lit", "1", "juliet@capulet.lit", "poison", AccessModel.OPEN, T0)),
                new IndexChange.PutPost(post("juliet@capulet.lit", "2", "nurse@capulet.lit", "poison", AccessModel.OPEN, T0)),
                new IndexChange.PutPost(post("romeo@montague.lit", "3", "romeo@montague.lit", "poison", AccessModel.OPEN, T0)));
        settle(() -> index.postCount() == 3);
        SearchText poison = SearchText.parse("poison");
        assertEquals(List.of("2"), items(index.posts(new PostQuery(poison, PostQuery.Order.NEWEST, jid("nurse@capulet.lit"), null, null, Page.first(10)), anybody())));
        assertEquals(Set.of("1", "2"), Set.copyOf(items(index.posts(new PostQuery(poison, PostQuery.Order.NEWEST, null, jid("juliet@capulet.lit"), null, Page.first(10)), anybody()))));
        assertEquals(List.of("3"), items(index.posts(new PostQuery(poison, PostQuery.Order.NEWEST, null, null, Set.of(jid("romeo@montague.lit")), Page.first(10)), anybody())));
        assertEquals(List.of(), items(index.posts(new PostQuery(poison, PostQuery.Order.NEWEST, null, null, Set.of(), Page.first(10)), anybody())));
    }

    @Test
    void pagesByIndexAndCountsEveryMatch() {
        List<IndexChange> changes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            changes.add(new IndexChange.PutPost(post("juliet@capulet.lit", "p" + i, "juliet@capulet.lit", "nightingale " + i, AccessModel.OPEN, T0.plusSeconds(i))));
        }
        index.apply(changes, Map.of("buddycloud.posts-0", 25L));
        settle(() -> index.postCount() == 25);
        PostQuery second = new PostQuery(SearchText.parse("nightingale"), PostQuery.Order.NEWEST, null, null, null, new Page(10, 10));
        Hits<PostHit> page = index.posts(second, anybody());
        assertEquals(25, page.total());
        assertEquals(10, page.index());
        assertEquals(List.of("p14", "p13", "p12", "p11", "p10", "p9", "p8", "p7", "p6", "p5"), items(page));
        assertEquals(List.of(), items(index.posts(new PostQuery(SearchText.parse("nightingale"), PostQuery.Order.NEWEST, null, null, null, new Page(30, 10)), anybody())));
        // the deepest page there is answers (Elasticsearch's result window ends there)
        Page deepest = new Page(Page.DEEPEST_END - Page.LARGEST_MAX, Page.LARGEST_MAX);
        assertEquals(25, index.posts(new PostQuery(SearchText.parse("nightingale"), PostQuery.Order.RELEVANCE, null, null, null, deepest), anybody()).total());
        assertEquals(0, index.channels(new ChannelQuery(SearchText.parse("nightingale"), deepest), anybody()).hits().size());
        assertEquals(Map.of("buddycloud.posts-0", 25L), index.positions());
    }

    @Test
    void theDirectoryFindsAdvertisedChannelsByTitleDescriptionAndName() {
        ChannelEntry hidden = new ChannelEntry(jid("secret@topics.capulet.lit"), ChannelType.TOPIC, jid("owner@capulet.lit"),
                "Verona gossip", "", AccessModel.OPEN, Affiliation.MEMBER, false, T0, T0, null, null, null);
        apply(new IndexChange.PutChannel(channel("verona@topics.capulet.lit", "Fair Verona", "where we lay our scene", AccessModel.OPEN, null, null)),
                new IndexChange.PutChannel(channel("mantua@topics.capulet.lit", "Mantua", "exile, and Verona far away", AccessModel.OPEN, null, null)),
                new IndexChange.PutChannel(hidden));
        settle(() -> index.channel(jid("verona@topics.capulet.lit")).isPresent()
                && index.channels(new ChannelQuery(SearchText.parse("verona"), Page.first(10)), anybody()).total() == 2);
        Hits<ChannelHit> found = index.channels(new ChannelQuery(SearchText.parse("verona"), Page.first(10)), anybody());
        assertEquals(List.of("verona@topics.capulet.lit", "mantua@topics.capulet.lit"),
                found.hits().stream().map(h -> h.channel().channel().toString()).toList(), "a title counts more than a description");
        assertTrue(found.hits().get(0).highlights().stream().anyMatch(h -> h.contains("<em>Verona</em>")), found.hits().get(0).highlights().toString());
        assertEquals(1, index.channels(new ChannelQuery(SearchText.parse("mantua"), Page.first(10)), anybody()).total(),
                "the channel's name is searchable");
        assertEquals(0, index.channels(new ChannelQuery(SearchText.parse("gossip"), Page.first(10)), anybody()).total(),
                "a channel that is not advertised is in nobody's directory");
        assertEquals("Fair Verona", index.channel(jid("verona@topics.capulet.lit")).orElseThrow().title());
    }

    @Test
    void nearbyFindsChannelsWithinTheRadiusNearestFirst() {
        apply(new IndexChange.PutChannel(channel("verona@topics.capulet.lit", "Verona", "", AccessModel.OPEN, 45.4384, 10.9916)),
                new IndexChange.PutChannel(channel("mantua@topics.capulet.lit", "Mantua", "", AccessModel.OPEN, 45.1564, 10.7914)),
                new IndexChange.PutChannel(channel("london@topics.capulet.lit", "London", "", AccessModel.OPEN, 51.5072, -0.1276)),
                new IndexChange.PutChannel(channel("nowhere@topics.capulet.lit", "Nowhere", "", AccessModel.OPEN, null, null)));
        NearbyQuery nearMantua = new NearbyQuery(45.16, 10.80, 100, Page.first(10));
        settle(() -> index.nearby(nearMantua, anybody()).total() == 2);
        Hits<ChannelHit> near = index.nearby(nearMantua, anybody());
        assertEquals(List.of("mantua@topics.capulet.lit", "verona@topics.capulet.lit"),
                near.hits().stream().map(h -> h.channel().channel().toString()).toList());
        assertEquals(0.8, near.hits().get(0).distanceKm(), 0.3);
        assertEquals(34.4, near.hits().get(1).distanceKm(), 1);
        assertEquals(3, index.nearby(new NearbyQuery(45.16, 10.80, 2000, Page.first(10)), anybody()).total());
    }

    @Test
    void mostActiveCountsPostsOfThePeriodPerChannelAndDomain() {
        List<IndexChange> changes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            changes.add(new IndexChange.PutPost(post("juliet@capulet.lit", "j" + i, "juliet@capulet.lit", "post", AccessModel.OPEN, T0.plusSeconds(i))));
        }
        for (int i = 0; i < 3; i++) {
            changes.add(new IndexChange.PutPost(post("verona@topics.capulet.lit", "v" + i, "juliet@capulet.lit", "post", AccessModel.OPEN, T0.plusSeconds(i))));
        }
        changes.add(new IndexChange.PutPost(post("verona@topics.capulet.lit", "old", "juliet@capulet.lit", "post", AccessModel.OPEN, T0.minusSeconds(30 * 86400))));
        for (int i = 0; i < 4; i++) {
            changes.add(new IndexChange.PutPost(post("romeo@montague.lit", "r" + i, "romeo@montague.lit", "post", AccessModel.OPEN, T0.plusSeconds(i))));
        }
        changes.add(new IndexChange.PutChannel(channel("verona@topics.capulet.lit", "Fair Verona", "", AccessModel.OPEN, null, null)));
        index.apply(changes, Map.of());
        settle(() -> index.postCount() == 13);
        ActivityQuery lastWeek = new ActivityQuery(T0.minusSeconds(7 * 86400), null, 10);
        List<ChannelActivity> all = index.mostActive(lastWeek, anybody());
        assertEquals(List.of("juliet@capulet.lit:5", "romeo@montague.lit:4", "verona@topics.capulet.lit:3"),
                all.stream().map(a -> a.channel() + ":" + a.posts()).toList());
        assertEquals("Fair Verona", all.get(2).entry().title());
        assertEquals(List.of("juliet@capulet.lit:5", "verona@topics.capulet.lit:3"),
                index.mostActive(new ActivityQuery(lastWeek.since(), "capulet.lit", 10), anybody()).stream()
                        .map(a -> a.channel() + ":" + a.posts()).toList(), "a domain covers its subdomains");
        assertEquals(1, index.mostActive(new ActivityQuery(lastWeek.since(), null, 1), anybody()).size());
        ChannelEntry unlisted = new ChannelEntry(jid("juliet@capulet.lit"), ChannelType.PERSONAL, jid("juliet@capulet.lit"), "Juliet", "",
                AccessModel.OPEN, Affiliation.MEMBER, false, T0, T0, null, null, null);
        apply(new IndexChange.PutChannel(unlisted));
        settle(() -> index.channel(jid("juliet@capulet.lit")).map(c -> !c.advertised()).orElse(false));
        assertEquals(List.of("romeo@montague.lit:4", "verona@topics.capulet.lit:3"),
                index.mostActive(lastWeek, anybody()).stream().map(a -> a.channel() + ":" + a.posts()).toList(),
                "a channel whose owner asked not to be advertised is in no list");
    }

    @Test
    void aNewAccessModelRewritesTheChannelsPosts() {
        apply(new IndexChange.PutChannel(channel("juliet@capulet.lit", "Juliet", "", AccessModel.OPEN, null, null)),
                new IndexChange.PutPost(post("juliet@capulet.lit", "1", "juliet@capulet.lit", "balcony", AccessModel.OPEN, T0)),
                new IndexChange.PutPost(post("juliet@capulet.lit", "2", "juliet@capulet.lit", "balcony", AccessModel.OPEN, T0)));
        settle(() -> postsFound("balcony", anybody()).size() == 2);
        apply(new IndexChange.ChangeAccess(jid("juliet@capulet.lit"), AccessModel.AUTHORIZE),
                new IndexChange.PutPost(post("juliet@capulet.lit", "3", "juliet@capulet.lit", "balcony", AccessModel.AUTHORIZE, T0)));
        Readers.Standings follower = new Readers.Standings(jid("juliet@capulet.lit"), Standing.of(Affiliation.MEMBER, Subscription.SUBSCRIBED));
        settle(() -> Set.copyOf(postsFound("balcony", as("romeo@montague.lit", follower))).equals(Set.of("1", "2", "3")));
        assertEquals(List.of(), postsFound("balcony", anybody()));
        assertEquals(List.of(), postsFound("balcony", as("nurse@capulet.lit")));
        apply(new IndexChange.ChangeAccess(jid("juliet@capulet.lit"), AccessModel.OPEN));
        settle(() -> postsFound("balcony", anybody()).size() == 3);
    }

    @Test
    void deletedChannelsAndAccountsLeaveTheIndex() {
        apply(new IndexChange.PutChannel(channel("verona@topics.capulet.lit", "Verona", "", AccessModel.OPEN, null, null)),
                new IndexChange.PutPost(post("verona@topics.capulet.lit", "1", "tybalt@capulet.lit", "duel", AccessModel.OPEN, T0)),
                new IndexChange.PutPost(post("verona@topics.capulet.lit", "2", "mercutio@capulet.lit", "duel", AccessModel.OPEN, T0)),
                new IndexChange.PutPost(post("mercutio@capulet.lit", "3", "mercutio@capulet.lit", "duel", AccessModel.OPEN, T0)),
                new IndexChange.PutPost(post("romeo@montague.lit", "4", "romeo@montague.lit", "duel", AccessModel.OPEN, T0)));
        settle(() -> index.postCount() == 4);
        apply(new IndexChange.RemoveChannel(jid("mercutio@capulet.lit"), true, T0.plusSeconds(5)),
                new IndexChange.RemoveAuthor(jid("mercutio@capulet.lit"), T0.plusSeconds(5)));
        settle(() -> index.postCount() == 2);
        assertEquals(Set.of("1", "4"), Set.copyOf(postsFound("duel", anybody())));
        apply(new IndexChange.RemoveChannel(jid("verona@topics.capulet.lit"), true, T0.plusSeconds(9)));
        settle(() -> index.postCount() == 1);
        assertTrue(index.channel(jid("verona@topics.capulet.lit")).isEmpty());
        // remembered, so that older events arriving late stay out (IndexPlanner asks)
        assertEquals(Optional.of(T0.plusSeconds(9)), index.removedAt(IndexState.Removed.CHANNEL, jid("verona@topics.capulet.lit")));
        assertEquals(Optional.of(T0.plusSeconds(5)), index.removedAt(IndexState.Removed.AUTHOR, jid("mercutio@capulet.lit")));
        assertEquals(Optional.empty(), index.removedAt(IndexState.Removed.AUTHOR, jid("romeo@montague.lit")));
        index.clear();
        settle(() -> index.postCount() == 0);
        assertEquals(Map.of(), index.positions());
        assertEquals(Optional.empty(), index.removedAt(IndexState.Removed.CHANNEL, jid("verona@topics.capulet.lit")));
    }

    /**
     * Who finds a post of a channel under each access model, by where they stand: written out by hand from the
     * capability table of PROTOCOL.md §1.4–1.5 (Y: found, -: not), not derived from the rule under test.
     */
    private static final String[][] MATRIX = {
            // standing                          open authorize whitelist local
            {"anonymous",                          "Y", "-", "-", "-"},
            {"local stranger",                     "Y", "-", "-", "Y"},
            {"remote stranger",                    "Y", "-", "-", "-"},
            {"pending request",                    "Y", "-", "-", "Y"},
            {"remote pending request",             "Y", "-", "-", "-"},
            {"subscribed member",                  "Y", "Y", "Y", "Y"},
            {"remote subscribed member",           "Y", "Y", "Y", "Y"},
            {"member, not following",              "Y", "-", "Y", "Y"},
            {"remote member, not following",       "Y", "-", "Y", "-"},
            {"publisher",                          "Y", "Y", "Y", "Y"},
            {"moderator, not following",           "Y", "Y", "Y", "Y"},
            {"owner",                              "Y", "Y", "Y", "Y"},
            {"outcast",                            "-", "-", "-", "-"},
            {"remote outcast",                     "-", "-", "-", "-"},
    };

    private static final AccessModel[] MODELS = {AccessModel.OPEN, AccessModel.AUTHORIZE, AccessModel.WHITELIST, AccessModel.LOCAL};

    private static ReadFilter standingOf(String who, Jid channel, AccessModel model) {
        boolean remote = who.startsWith("remote");
        String jid = remote ? "reader@montague.lit" : "reader@capulet.lit";
        Standing standing = switch (who.replace("remote ", "")) {
            case "anonymous" -> null;
            case "local stranger", "stranger" -> Standing.STRANGER;
            case "pending request" -> Standing.of(Affiliation.NONE, Subscription.PENDING);
            case "subscribed member" -> Standing.of(Affiliation.MEMBER, Subscription.SUBSCRIBED);
            case "member, not following" -> Standing.of(Affiliation.MEMBER, Subscription.NONE);
            case "publisher" -> Standing.of(Affiliation.PUBLISHER, Subscription.SUBSCRIBED);
            case "moderator, not following" -> Standing.of(Affiliation.MODERATOR, Subscription.NONE);
            case "owner" -> Standing.of(Affiliation.OWNER, Subscription.SUBSCRIBED);
            case "outcast" -> Standing.of(Affiliation.OUTCAST, Subscription.NONE);
            default -> throw new IllegalArgumentException(who);
        };
        if (standing == null) {
            return anybody();
        }
        return standing == Standing.STRANGER ? as(jid) : as(jid, new Readers.Standings(channel, standing));
    }

    @Test
    void privacyMatrixOverAccessModelsAndStandings() {
        List<IndexChange> changes = new ArrayList<>();
        for (AccessModel model : MODELS) {
            String channel = model.name().toLowerCase() + "@topics.capulet.lit";
            changes.add(new IndexChange.PutChannel(channel(channel, "Room " + model, "", model, 45.0, 10.0)));
            changes.add(new IndexChange.PutPost(post(channel, "secret", "owner@capulet.lit", "masquerade " + model, model, T0)));
        }
        index.apply(changes, Map.of());
        settle(() -> index.postCount() == MODELS.length
                && index.channels(new ChannelQuery(SearchText.parse("room"), Page.first(10)), anybody()).total() == 1);
        List<String> wrong = new ArrayList<>();
        for (String[] row : MATRIX) {
            for (int m = 0; m < MODELS.length; m++) {
                AccessModel model = MODELS[m];
                Jid channel = jid(model.name().toLowerCase() + "@topics.capulet.lit");
                ReadFilter filter = standingOf(row[0], channel, model);
                boolean expected = row[m + 1].equals("Y");
                boolean post = index.posts(new PostQuery(SearchText.parse("masquerade"), PostQuery.Order.NEWEST, null, channel, null,
                        Page.first(10)), filter).total() == 1;
                boolean directory = index.channels(new ChannelQuery(SearchText.parse("room"), Page.first(10)), filter).hits().stream()
                        .anyMatch(h -> h.channel().channel().equals(channel));
                boolean nearby = index.nearby(new NearbyQuery(45, 10, 10, Page.first(10)), filter).hits().stream()
                        .anyMatch(h -> h.channel().channel().equals(channel));
                boolean active = index.mostActive(new ActivityQuery(T0.minusSeconds(60), null, 10), filter).stream()
                        .anyMatch(a -> a.channel().equals(channel));
                for (Map.Entry<String, Boolean> seen : Map.of("posts", post, "directory", directory, "nearby", nearby, "most active", active).entrySet()) {
                    if (seen.getValue() != expected) {
                        wrong.add(row[0] + " × " + model + " in " + seen.getKey() + ": " + (seen.getValue() ? "found" : "not found"));
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
