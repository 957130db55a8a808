package org.buddycloud.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * A follow graph with planted communities for the taste benchmark, deterministic for a seed. Users belong to one of
 * {@code communities} circles, each with {@code channelsPerCommunity} open, advertised topic channels owned by one of
 * its users. A user follows a whole number of channels drawn uniformly from {@code [minFollows, maxFollows]}; each
 * follow comes with probability {@code ownShare} from their own circle, popular ones more often (Zipf with exponent
 * {@code zipf} over the circle's channels in rank order), and otherwise uniformly from all channels (noise: the odd
 * channel of another circle). Nobody follows a channel they own. Channels are numbered
 * {@code community * channelsPerCommunity + rank}, users {@code 0..users-1}, user {@code u} in circle
 * {@code u % communities}.
 */
final class TasteCorpus {

    /** The shape of a corpus. */
    record Shape(int users, int communities, int channelsPerCommunity, int minFollows, int maxFollows, double ownShare,
                 double zipf, long seed) {

        Shape {
            if (minFollows < 1 || maxFollows < minFollows || maxFollows >= channelsPerCommunity * communities) {
                throw new IllegalArgumentException("follows per user must lie in [1, channels): " + minFollows + "-" + maxFollows);
            }
        }

        /** The same shape scaled to about {@code edges} follows, with as many users per channel as this one. */
        Shape scaledTo(long edges) {
            double meanFollows = (minFollows + maxFollows) / 2.0;
            int scaledUsers = (int) Math.max(1, Math.round(edges / meanFollows));
            int usersPerCommunity = Math.max(1, users / communities);
            int scaledCommunities = Math.max(1, scaledUsers / usersPerCommunity);
            return new Shape(scaledUsers, scaledCommunities, channelsPerCommunity, minFollows, maxFollows, ownShare, zipf, seed);
        }

        int channels() {
            return communities * channelsPerCommunity;
        }
    }

    static final String DOMAIN = "example.com";
    static final String TOPICS = "topics." + DOMAIN;

    private final Shape shape;
    private final int[][] follows;

    private TasteCorpus(Shape shape, int[][] follows) {
        this.shape = shape;
        this.follows = follows;
    }

    static TasteCorpus generate(Shape shape) {
        Random random = new Random(shape.seed());
        int perCommunity = shape.channelsPerCommunity();
        double[] cumulative = new double[perCommunity];
        double sum = 0;
        for (int rank = 0; rank < perCommunity; rank++) {
            sum += 1.0 / Math.pow(rank + 1, shape.zipf());
            cumulative[rank] = sum;
        }
        TasteCorpus corpus = new TasteCorpus(shape, new int[shape.users()][]);
        boolean[] taken = new boolean[shape.channels()];
        for (int u = 0; u < shape.users(); u++) {
            int community = corpus.community(u);
            int count = shape.minFollows() + random.nextInt(shape.maxFollows() - shape.minFollows() + 1);
            int[] chosen = new int[count];
            int ownLeft = 0;
            for (int rank = 0; rank < perCommunity; rank++) {
                ownLeft += corpus.owner(community * perCommunity + rank) == u ? 0 : 1;
            }
            for (int i = 0; i < count; i++) {
                int channel;
                boolean own = ownLeft > 0 && random.nextDouble() < shape.ownShare();
                do {
                    if (own) {
                        int at = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
                        channel = community * perCommunity + Math.min(perCommunity - 1, at < 0 ? -at - 1 : at);
                    } else {
                        channel = random.nextInt(shape.channels());
                    }
                } while (taken[channel] || corpus.owner(channel) == u);
                taken[channel] = true;
                if (channel / perCommunity == community) {
                    ownLeft--;
                }
                chosen[i] = channel;
            }
            for (int channel : chosen) {
                taken[channel] = false;
            }
            corpus.follows[u] = chosen;
        }
        return corpus;
    }

    Shape shape() {
        return shape;
    }

    int users() {
        return shape.users();
    }

    int channels() {
        return shape.channels();
    }

    /** The channels {@code user} follows, in the order they were drawn. */
    int[] follows(int user) {
        return follows[user];
    }

    long edges() {
        long edges = 0;
        for (int[] f : follows) {
            edges += f.length;
        }
        return edges;
    }

    int community(int user) {
        return user % shape.communities();
    }

    int communityOfChannel(int channel) {
        return channel / shape.channelsPerCommunity();
    }

    /** The owner of a channel: a user of its circle, one channel each (round again in a circle with fewer users than channels). */
    int owner(int channel) {
        int community = communityOfChannel(channel);
        int rank = channel % shape.channelsPerCommunity();
        int inCircle = (shape.users() - 1 - community) / shape.communities() + 1;
        return community + (rank % inCircle) * shape.communities();
    }

    static String userName(int user) {
        return "u" + user;
    }

    static String channelName(int channel) {
        return "t" + channel;
    }

    static String userJid(int user) {
        return userName(user) + "@" + DOMAIN;
    }

    static String channelJid(int channel) {
        return channelName(channel) + "@" + TOPICS;
    }
}
