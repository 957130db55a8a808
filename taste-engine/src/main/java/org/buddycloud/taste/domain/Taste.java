package org.buddycloud.taste.domain;

import com.carrotsearch.hppc.IntDoubleHashMap;
import com.carrotsearch.hppc.cursors.IntDoubleCursor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.jid.Jid;

/**
 * The taste engine's questions (PROTOCOL.md §6): channels a user might follow, channels like a channel, the most
 * active channels. Every answer is for a {@code viewer}: only channels the shared rule lets them find are suggested
 * ({@link Audience#findsInDirectory}), and only followings they could list themselves shape what is suggested
 * ({@link Audience#countsFollowersOf}) — a private channel is never suggested and never gives its members away.
 * Users and channels nobody told of get an empty list.
 */
public final class Taste {

    private static final Comparator<Suggestion> BEST_FIRST = Comparator.comparingDouble(Suggestion::score).reversed()
            .thenComparing(Comparator.comparingLong(Suggestion::posts).reversed())
            .thenComparing(Comparator.comparingInt(Suggestion::followers).reversed())
            .thenComparing(s -> s.channel().channel().toString());

    private static final int FILLER_MARGIN = 50;

    private final FollowGraph graph;
    private final ChannelCatalog catalog;
    private final ActivityLedger activity;
    private final Audience audience;
    private final Clock clock;
    private final CoFollowing.Limits limits;

    public Taste(FollowGraph graph, ChannelCatalog catalog, ActivityLedger activity, Audience audience, Clock clock) {
        this(graph, catalog, activity, audience, clock, CoFollowing.Limits.DEFAULT);
    }

    public Taste(FollowGraph graph, ChannelCatalog catalog, ActivityLedger activity, Audience audience, Clock clock, CoFollowing.Limits limits) {
        this.graph = graph;
        this.catalog = catalog;
        this.activity = activity;
        this.audience = audience;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * Channels {@code user} might follow, best first: those most like what they follow; then, to fill the page (and
     * for somebody who follows nothing yet), the most active of the last week they do not stand with.
     */
    public Suggestions recommend(Actor viewer, Jid user, Page page) {
        return graph.read(g -> {
            int u = g.user(user);
            if (u < 0) {
                return Suggestions.NONE;
            }
            IntDoubleHashMap scores = new CoFollowing(g, limits).forUser(u, counted(g, viewer), findable(g, viewer));
            List<Suggestion> ranked = ranked(g, scores);
            if (ranked.size() < page.end()) {
                Set<Jid> listed = new HashSet<>();
                ranked.forEach(s -> listed.add(s.channel().channel()));
                // enough of the busiest to fill the page after leaving out those the user stands with already
                int wanted = page.end() + g.follows(u).size() + FILLER_MARGIN;
                for (Suggestion busy : busiest(viewer, ActivityQuery.lastWeek(), wanted)) {
                    Jid channel = busy.channel().channel();
                    int c = g.channel(channel);
                    if (!channel.equals(user) && !listed.contains(channel) && (c < 0 || !g.knows(u, c))) {
                        ranked.add(busy);
                    }
                }
            }
            return Suggestions.page(ranked, page);
        });
    }

    /** Channels whose followers also follow {@code channel}, most alike first; none for a channel the viewer cannot find. */
    public Suggestions similar(Actor viewer, Jid channel, Page page) {
        Optional<ChannelFacts> facts = catalog.get(channel);
        if (facts.isEmpty() || !audience.countsFollowersOf(facts.get().accessModel(), viewer)) {
            return Suggestions.NONE;
        }
        return graph.read(g -> {
            int c = g.channel(channel);
            if (c < 0) {
                return Suggestions.NONE;
            }
            return Suggestions.page(ranked(g, new CoFollowing(g, limits).similarTo(c, -1, findable(g, viewer))), page);
        });
    }

    /** The channels the viewer may find with the most posts in the period, busiest first. */
    public Suggestions mostActive(Actor viewer, ActivityQuery query) {
        return Suggestions.page(busiest(viewer, query, query.page().end()), query.page());
    }

    private List<Suggestion> busiest(Actor viewer, ActivityQuery query, int wanted) {
        List<Suggestion> busy = new ArrayList<>();
        for (ChannelFacts channel : catalog.all()) {
            if (query.covers(channel.channel().domain()) && findable(channel, viewer)) {
                long posts = activity.posts(channel.channel(), query.days(), clock.instant());
                if (posts > 0) {
                    busy.add(new Suggestion(channel, Suggestion.Reason.MOST_ACTIVE, 0, posts, 0));
                }
            }
        }
        busy.sort(BEST_FIRST);
        return busy.size() > wanted ? new ArrayList<>(busy.subList(0, wanted)) : busy;
    }

    private List<Suggestion> ranked(FollowGraph.View g, IntDoubleHashMap scores) {
        List<Suggestion> ranked = new ArrayList<>(scores.size());
        for (IntDoubleCursor score : scores) {
            catalog.get(g.channelJid(score.key)).ifPresent(channel -> ranked.add(new Suggestion(channel,
                    Suggestion.Reason.CO_FOLLOWED, score.value, 0, g.followers(score.key).size())));
        }
        ranked.sort(BEST_FIRST);
        return ranked;
    }

    /** Channels whose followers may shape what the viewer is shown. */
    private IntPredicate counted(FollowGraph.View g, Actor viewer) {
        return c -> catalog.get(g.channelJid(c)).map(channel -> audience.countsFollowersOf(channel.accessModel(), viewer)).orElse(false);
    }

    /** Channels the viewer may be shown. */
    private IntPredicate findable(FollowGraph.View g, Actor viewer) {
        return c -> catalog.get(g.channelJid(c)).map(channel -> findable(channel, viewer)).orElse(false);
    }

    private boolean findable(ChannelFacts channel, Actor viewer) {
        return audience.findsInDirectory(channel.accessModel(), channel.advertised(), viewer);
    }
}
