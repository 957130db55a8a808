package org.buddycloud.taste.domain;

import com.carrotsearch.hppc.IntDoubleHashMap;
import com.carrotsearch.hppc.IntHashSet;
import com.carrotsearch.hppc.IntIntHashMap;
import com.carrotsearch.hppc.cursors.IntCursor;
import com.carrotsearch.hppc.cursors.IntDoubleCursor;
import com.carrotsearch.hppc.cursors.IntIntCursor;
import java.util.function.IntPredicate;

/**
 * Item-based similarity on co-following (Mahout's boolean item-based recommender with log-likelihood similarity,
 * computed at query time from the live graph instead of a model rebuilt every half hour). Two channels are similar
 * when they share more followers than chance would give ({@link LogLikelihood}); a user's candidates are scored by the
 * sum of their likeness ({@link LogLikelihood#strength}) to what the user follows.
 *
 * <p>Work is bounded whatever the graph: a channel's followers are sampled ({@link Limits#followersSampled}, co-follow
 * counts scaled back up) and so are each user's follows ({@link Limits#followsSampled}), so a channel with a million
 * followers costs as much as one with a few thousand.
 */
public final class CoFollowing {

    /** How much of the graph one query may walk. */
    public record Limits(int followersSampled, int followsSampled) {
        static final Limits DEFAULT = new Limits(1_000, 200);
    }

    private final FollowGraph.View graph;
    private final Limits limits;

    CoFollowing(FollowGraph.View graph, Limits limits) {
        this.graph = graph;
        this.limits = limits;
    }

    /**
     * Scores of channels for {@code user}: the sum over the channels they follow that {@code counted} accepts of each
     * one's similarity to the candidate. Candidates the user already stands with are left out, and so are those
     * {@code candidate} refuses.
     */
    IntDoubleHashMap forUser(int user, IntPredicate counted, IntPredicate candidate) {
        IntDoubleHashMap scores = new IntDoubleHashMap();
        int considered = 0;
        for (IntCursor followed : graph.follows(user)) {
            if (!counted.test(followed.value)) {
                continue;
            }
            if (considered++ == limits.followsSampled()) {
                break;
            }
            for (IntDoubleCursor similar : similarTo(followed.value, user, c -> candidate.test(c) && !graph.knows(user, c))) {
                scores.addTo(similar.key, similar.value);
            }
        }
        return scores;
    }

    /** Similarities of the channels sharing followers with {@code channel} ({@code asker}'s own follows not counted). */
    IntDoubleHashMap similarTo(int channel, int asker, IntPredicate candidate) {
        IntHashSet followers = graph.followers(channel);
        IntIntHashMap together = new IntIntHashMap();
        int sampled = 0;
        for (IntCursor follower : followers) {
            if (follower.value == asker) {
                continue;
            }
            if (sampled++ == limits.followersSampled()) {
                break;
            }
            int follows = 0;
            for (IntCursor other : graph.follows(follower.value)) {
                if (follows++ == limits.followsSampled()) {
                    break;
                }
                if (other.value != channel && candidate.test(other.value)) {
                    together.addTo(other.value, 1);
                }
            }
        }
        // the asker is left out of the counts, as if they did not follow: their own follows must not be their evidence
        int population = graph.followingUsers() - (asker >= 0 ? 1 : 0);
        int first = followers.size() - (asker >= 0 && followers.contains(asker) ? 1 : 0);
        double scale = sampled == 0 ? 1 : Math.max(1.0, (double) first / Math.min(sampled, first));
        IntDoubleHashMap similarities = new IntDoubleHashMap();
        for (IntIntCursor pair : together) {
            int second = graph.followers(pair.key).size() - (asker >= 0 && graph.followers(pair.key).contains(asker) ? 1 : 0);
            long both = Math.min(Math.min(first, second), Math.round(pair.value * scale));
            double similarity = LogLikelihood.strength(both, first - both, second - both, population - first - second + both);
            if (similarity > 0) {
                similarities.put(pair.key, similarity);
            }
        }
        return similarities;
    }
}
