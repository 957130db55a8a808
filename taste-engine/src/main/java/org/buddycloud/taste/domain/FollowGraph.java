package org.buddycloud.taste.domain;

import com.carrotsearch.hppc.IntHashSet;
import com.carrotsearch.hppc.ObjectIntHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.buddycloud.contracts.jid.Jid;

/**
 * Who follows which channel, in memory: both directions of every edge as sets of small integers (a JID is numbered
 * the first time it is seen), so that a recommendation walks a few thousand edges without touching a map of strings.
 * Besides the follows, each user has the channels they stand in some other way (asked to follow, banned, their own):
 * never suggested to them, never counted as their taste.
 *
 * <p>Changes are states, not deltas ({@link #stand}): applying the same change twice, or a change the graph already
 * holds, changes nothing. Readers see a consistent graph through {@link #read}; one writer at a time.
 */
public final class FollowGraph {

    /** How a user stands with a channel, as far as taste goes. */
    public enum Tie {
        /** Subscribed and not banned: the user's taste. */
        FOLLOWS,
        /** Known there otherwise (pending, banned, owner of their own channel): not taste, not to be suggested. */
        KNOWN,
        /** No standing at all. */
        NONE
    }

    private final ObjectIntHashMap<Jid> userIds = new ObjectIntHashMap<>();
    private final ObjectIntHashMap<Jid> channelIds = new ObjectIntHashMap<>();
    private final List<Jid> users = new ArrayList<>();
    private final List<Jid> channels = new ArrayList<>();
    private final List<IntHashSet> follows = new ArrayList<>();
    private final List<IntHashSet> known = new ArrayList<>();
    private final List<IntHashSet> followers = new ArrayList<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long edges;
    private int followingUsers;

    /** Sets how {@code user} stands with {@code channel}. */
    public void stand(Jid channel, Jid member, Tie tie) {
        Jid user = member.toBare();
        lock.writeLock().lock();
        try {
            if (tie == Tie.NONE && (!channelIds.containsKey(channel) || !userIds.containsKey(user))) {
                return;
            }
            int c = channelId(channel);
            int u = userId(user);
            unfollow(u, c);
            if (known.get(u) != null) {
                known.get(u).remove(c);
            }
            if (tie == Tie.FOLLOWS) {
                follow(u, c);
            } else if (tie == Tie.KNOWN) {
                if (known.get(u) == null) {
                    known.set(u, new IntHashSet(2));
                }
                known.get(u).add(c);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The channel is gone: nobody follows it any more (its number stays, unused, until the process ends). */
    public void forgetChannel(Jid channel) {
        lock.writeLock().lock();
        try {
            if (!channelIds.containsKey(channel)) {
                return;
            }
            int c = channelIds.get(channel);
            for (int u : followers.get(c).toArray()) {
                unfollow(u, c);
            }
            for (IntHashSet others : known) {
                if (others != null) {
                    others.remove(c);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs a query against the graph as it is now; writers wait until it returns. */
    public <T> T read(Function<View, T> query) {
        lock.readLock().lock();
        try {
            return query.apply(new View());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Follow edges held. */
    public long edges() {
        lock.readLock().lock();
        try {
            return edges;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The graph as a query sees it: users and channels by number. Valid only inside {@link #read}. */
    public final class View {

        /** The user's number, or -1 for a user the graph never heard of. */
        public int user(Jid jid) {
            return userIds.getOrDefault(jid, -1);
        }

        /** The channel's number, or -1 for a channel nobody ever stood with. */
        public int channel(Jid jid) {
            return channelIds.getOrDefault(jid, -1);
        }

        public Jid channelJid(int channel) {
            return channels.get(channel);
        }

        public IntHashSet follows(int user) {
            return follows.get(user);
        }

        /** The channels the user follows or stands with otherwise: none of them is suggested to them. */
        public boolean knows(int user, int channel) {
            IntHashSet others = known.get(user);
            return follows.get(user).contains(channel) || others != null && others.contains(channel);
        }

        public IntHashSet followers(int channel) {
            return followers.get(channel);
        }

        /** Users who follow at least one channel: the population the co-following statistics are taken over. */
        public int followingUsers() {
            return followingUsers;
        }
    }

    private void follow(int u, int c) {
        if (follows.get(u).add(c)) {
            if (follows.get(u).size() == 1) {
                followingUsers++;
            }
            followers.get(c).add(u);
            edges++;
        }
    }

    private void unfollow(int u, int c) {
        if (follows.get(u).remove(c)) {
            if (follows.get(u).isEmpty()) {
                followingUsers--;
            }
            followers.get(c).remove(u);
            edges--;
        }
    }

    private int userId(Jid jid) {
        int id = userIds.getOrDefault(jid, -1);
        if (id < 0) {
            id = users.size();
            userIds.put(jid, id);
            users.add(jid);
            follows.add(new IntHashSet(2));
            known.add(null);
        }
        return id;
    }

    private int channelId(Jid jid) {
        int id = channelIds.getOrDefault(jid, -1);
        if (id < 0) {
            id = channels.size();
            channelIds.put(jid, id);
            channels.add(jid);
            followers.add(new IntHashSet(2));
        }
        return id;
    }
}
