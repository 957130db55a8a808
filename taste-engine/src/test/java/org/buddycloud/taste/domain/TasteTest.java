package org.buddycloud.taste.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.NodeSettings;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine on a small graph made by hand, fed the same events the channel server publishes, whose right answers
 * are plain to see: two circles of friends (the gardeners follow roses and tulips, the sailors boats and knots),
 * a private channel everybody in the first circle is in, a channel kept out of the directory, and one for this
 * server's users only.
 */
class TasteTest {

    private static final String DOMAIN = "example.com";
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Actor NOBODY = Actor.ANONYMOUS;

    private final FollowGraph graph = new FollowGraph();
    private final ChannelCatalog catalog = new ChannelCatalog();
    private final ActivityLedger activity = new ActivityLedger();
    private final TasteEvents events = new TasteEvents(graph, catalog, activity);
    private final Taste taste = new Taste(graph, catalog, activity, new Audience(new Permissions(DOMAIN)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void twoCircles() {
        for (String topic : List.of("roses", "tulips", "boats", "knots", "secrets", "hidden", "locals", "quiet")) {
            AccessModel model = switch (topic) {
                case "secrets" -> AccessModel.AUTHORIZE;
                case "locals" -> AccessModel.LOCAL;
                default -> AccessModel.OPEN;
            };
            create(topic(topic), jid("owner-" + topic), model, !topic.equals("hidden"));
        }
        for (String gardener : List.of("ann", "bea", "cat", "dot")) {
            follow(gardener, "roses", "tulips", "secrets", "hidden", "locals");
        }
        for (String sailor : List.of("ed", "fay", "gus", "hal")) {
            follow(sailor, "boats", "knots");
        }
        posts("quiet", 1);
        posts("boats", 3);
        posts("knots", 2);
    }

    @Test
    void aGardenerIsRecommendedWhatTheOtherGardenersFollow() {
        user("ivy");
        follow("ivy", "roses");
        assertEquals(List.of("tulips@topics.example.com"), coFollowed(recommend("ivy", NOBODY)));
    }

    @Test
    void theFollowedTheBannedAndTheirOwnChannelAreNeverSuggested() {
        user("ivy");
        follow("ivy", "roses");
        ban("ivy", "tulips");
        Suggestions suggested = taste.recommend(NOBODY, jid("ivy"), new Page(0, 100));
        List<String> channels = jids(suggested);
        assertFalse(channels.contains("tulips@topics.example.com"), "banned: " + channels);
        assertFalse(channels.contains("roses@topics.example.com"), "followed: " + channels);
        assertFalse(channels.contains("ivy@example.com"), "their own: " + channels);
    }

    @Test
    void aPrivateChannelIsNeitherSuggestedNorCountedNorGivesItsMembersAway() {
        user("ivy");
        follow("ivy", "roses");
        assertFalse(jids(recommend("ivy", NOBODY)).contains("secrets@topics.example.com"));
        assertEquals(List.of(), jids(taste.similar(NOBODY, topic("secrets"), new Page(0, 10))), "who else its members follow");
        assertEquals(List.of(), jids(taste.similar(Actor.of(jid("ann")), topic("secrets"), new Page(0, 10))),
                "not even to a member: the rule reads the channel as a stranger would");
        // following only the private channel, nobody can tell what its members follow
        user("jo");
        follow("jo", "secrets");
        assertEquals(List.of(), coFollowed(recommend("jo", NOBODY)));
    }

    @Test
    void aChannelKeptOutOfTheDirectoryIsNotSuggested() {
        user("ivy");
        follow("ivy", "roses");
        assertFalse(jids(taste.recommend(NOBODY, jid("ivy"), new Page(0, 100))).contains("hidden@topics.example.com"));
        assertFalse(jids(taste.similar(NOBODY, topic("roses"), new Page(0, 100))).contains("hidden@topics.example.com"));
    }

    @Test
    void aLocalChannelIsSuggestedToThisServersUsersOnly() {
        user("ivy");
        follow("ivy", "roses");
        assertTrue(coFollowed(recommend("ivy", Actor.of(jid("ivy")))).contains("locals@topics.example.com"));
        assertFalse(jids(recommend("ivy", NOBODY)).contains("locals@topics.example.com"));
        assertFalse(jids(recommend("ivy", Actor.of(Jid.parse("mallory@elsewhere.org")))).contains("locals@topics.example.com"));
    }

    @Test
    void similarChannelsAreThoseOfTheSameCircle() {
        assertEquals(List.of("tulips@topics.example.com"), jids(taste.similar(NOBODY, topic("roses"), new Page(0, 10))));
        assertEquals(List.of("knots@topics.example.com"), jids(taste.similar(NOBODY, topic("boats"), new Page(0, 10))));
    }

    @Test
    void somebodyWhoFollowsNothingIsShownTheMostActiveChannels() {
        user("ivy");
        Suggestions suggested = recommend("ivy", NOBODY);
        assertEquals(List.of("boats@topics.example.com", "knots@topics.example.com", "quiet@topics.example.com"), jids(suggested));
        assertTrue(suggested.items().stream().allMatch(s -> s.reason() == Suggestion.Reason.MOST_ACTIVE));
    }

    @Test
    void unknownUsersAndChannelsGetAnEmptyList() {
        assertEquals(Suggestions.NONE, taste.recommend(NOBODY, jid("nobody"), new Page(0, 10)));
        assertEquals(Suggestions.NONE, taste.similar(NOBODY, topic("nothing"), new Page(0, 10)));
    }

    @Test
    void aFollowOrADepartureChangesTheNextAnswer() {
        user("ivy");
        follow("ivy", "boats");
        assertEquals(List.of("knots@topics.example.com"), coFollowed(recommend("ivy", NOBODY)));
        follow("ivy", "roses");
        assertEquals(List.of("knots@topics.example.com", "tulips@topics.example.com"),
                coFollowed(recommend("ivy", NOBODY)).stream().sorted().toList());
        leave("ivy", "boats");
        assertEquals(List.of("tulips@topics.example.com"), coFollowed(recommend("ivy", NOBODY)));
    }

    @Test
    void aChannelMadePrivateDropsOutAndADeletedOneIsGone() {
        user("ivy");
        follow("ivy", "roses");
        configure("tulips", AccessModel.AUTHORIZE);
        assertEquals(List.of(), coFollowed(recommend("ivy", NOBODY)));
        configure("tulips", AccessModel.OPEN);
        assertEquals(List.of("tulips@topics.example.com"), coFollowed(recommend("ivy", NOBODY)));
        events.apply(new ChannelDeleted(topic("tulips"), jid("owner-tulips"), NOW, List.of()), NOW);
        assertEquals(List.of(), coFollowed(recommend("ivy", NOBODY)));
    }

    @Test
    void mostActiveCountsThePeriodAndTheDomain() {
        events.apply(published("quiet", NOW.minus(Duration.ofDays(10))), NOW);
        events.apply(published("quiet", NOW.minus(Duration.ofDays(10))), NOW);
        events.apply(published("quiet", NOW.minus(Duration.ofDays(10))), NOW);
        assertEquals(List.of("boats@topics.example.com", "knots@topics.example.com", "quiet@topics.example.com"),
                jids(taste.mostActive(NOBODY, ActivityQuery.of("7", null, new Page(0, 10)))));
        assertEquals(List.of("quiet@topics.example.com", "boats@topics.example.com", "knots@topics.example.com"),
                jids(taste.mostActive(NOBODY, ActivityQuery.of("30", null, new Page(0, 10)))));
        assertEquals(List.of(), jids(taste.mostActive(NOBODY, ActivityQuery.of("7", "elsewhere.org", new Page(0, 10)))));
        assertEquals(3, taste.mostActive(NOBODY, ActivityQuery.of("7", "example.com", new Page(0, 10))).count());
        assertEquals(List.of("knots@topics.example.com"), jids(taste.mostActive(NOBODY, ActivityQuery.of("7", null, new Page(1, 1)))));
    }

    @Test
    void eventsAppliedTwiceChangeNothingMore() {
        user("ivy");
        follow("ivy", "roses");
        follow("ivy", "roses");
        long edges = graph.edges();
        follow("ivy", "roses");
        assertEquals(edges, graph.edges());
        assertEquals(List.of("tulips@topics.example.com"), coFollowed(recommend("ivy", NOBODY)));
    }

    private Suggestions recommend(String user, Actor viewer) {
        return taste.recommend(viewer, jid(user), new Page(0, 10));
    }

    private static List<String> jids(Suggestions suggestions) {
        return suggestions.items().stream().map(s -> s.channel().channel().toString()).toList();
    }

    private static List<String> coFollowed(Suggestions suggestions) {
        return suggestions.items().stream().filter(s -> s.reason() == Suggestion.Reason.CO_FOLLOWED)
                .map(s -> s.channel().channel().toString()).toList();
    }

    private void create(Jid channel, Jid owner, AccessModel model, boolean advertised) {
        events.apply(new ChannelCreated(channel, ChannelType.TOPIC, owner, model, List.of(), NOW,
                new NodeSettings(channel.localpart().orElseThrow(), null, model, Affiliation.PUBLISHER, advertised, false)), NOW);
    }

    private void configure(String topic, AccessModel model) {
        events.apply(new ChannelConfigured(topic(topic), posts(topic(topic)),
                new NodeSettings(topic, null, model, Affiliation.MEMBER, true, false), jid("owner-" + topic), NOW), NOW);
    }

    /** A user and their personal channel, which they own and follow. */
    private void user(String name) {
        create(jid(name), jid(name), AccessModel.OPEN, true);
    }

    private void follow(String user, String... topics) {
        for (String topic : topics) {
            standing(user, topic, Affiliation.PUBLISHER, Subscription.SUBSCRIBED);
        }
    }

    private void leave(String user, String topic) {
        standing(user, topic, Affiliation.NONE, Subscription.NONE);
    }

    private void ban(String user, String topic) {
        events.apply(new AffiliationChanged(topic(topic), posts(topic(topic)), jid(user), Affiliation.OUTCAST, Affiliation.NONE,
                Subscription.NONE, jid("owner-" + topic), AccessModel.OPEN, NOW), NOW);
    }

    private void standing(String user, String topic, Affiliation affiliation, Subscription subscription) {
        events.apply(new SubscriptionChanged(topic(topic), posts(topic(topic)), jid(user), subscription, Subscription.NONE,
                affiliation, jid(user), AccessModel.OPEN, NOW), NOW);
    }

    private void posts(String topic, int count) {
        List<PostPublished> published = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            published.add(published(topic, NOW.minus(Duration.ofHours(i + 1))));
        }
        published.forEach(p -> events.apply(p, NOW));
    }

    private static PostPublished published(String topic, Instant at) {
        Jid channel = topic(topic);
        return new PostPublished(new Post(channel, posts(channel), "item-" + at.toEpochMilli(), null, jid("owner-" + topic), null, null,
                at, at, null, "hello", "text", null, null, List.of(), List.of(), null), AccessModel.OPEN);
    }

    private static String posts(Jid channel) {
        return "/user/" + channel + "/posts";
    }

    private static Jid topic(String name) {
        return Jid.parse(name + "@topics." + DOMAIN);
    }

    private static Jid jid(String name) {
        return Jid.parse(name + "@" + DOMAIN);
    }
}
