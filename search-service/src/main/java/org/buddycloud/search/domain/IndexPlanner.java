package org.buddycloud.search.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.NodeSettings;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.PostImported;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.PostUpdated;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.search.domain.IndexState.Removed;

/**
 * Turns one batch of channel events into index changes, in their order. Only a channel's {@code /posts} node is
 * indexed: it holds the channel's content and its configuration stands for the channel (title, access model, place).
 * Directory entries are built up across events (creation, then configurations), so the planner reads the stored
 * entry once and keeps what the batch did to it.
 *
 * <p>Posts, channels and accounts come on different topics, in no order between them — a rebuild reads the small
 * topics well ahead of the posts. So the later decision wins, by the time each event names: a post takes the access
 * model its event carries unless the channel's was set after the post was written (and a new access model rewrites
 * every post the channel has); and a deleted channel or account is remembered with the time of its deletion, so that
 * a post or configuration written before it, arriving late, stays out.
 */
public final class IndexPlanner {

    private final IndexState stored;
    private final Map<Jid, Optional<ChannelEntry>> entries = new HashMap<>();
    private final Map<String, Optional<Instant>> removals = new HashMap<>();
    private final List<IndexChange> changes = new ArrayList<>();

    public IndexPlanner(IndexState stored) {
        this.stored = stored;
    }

    /**
     * Reads at once what the events will ask of the index (the entries of their channels, the removals of their
     * channels and authors), instead of one request per event: the planner then asks nothing more for these.
     */
    public void prepare(List<Object> events) {
        java.util.Set<Jid> channels = new java.util.HashSet<>();
        java.util.Set<IndexState.Removal> asked = new java.util.HashSet<>();
        for (Object event : events) {
            Post post = event instanceof PostPublished p ? p.post() : event instanceof PostUpdated u ? u.post()
                    : event instanceof PostImported i ? i.post() : null;
            if (post != null) {
                channels.add(post.channel());
                asked.add(new IndexState.Removal(Removed.CHANNEL, post.channel()));
                if (post.author() != null) {
                    asked.add(new IndexState.Removal(Removed.AUTHOR, post.author()));
                }
            } else if (event instanceof ChannelConfigured c) {
                channels.add(c.channel());
                asked.add(new IndexState.Removal(Removed.CHANNEL, c.channel()));
            } else if (event instanceof ChannelCreated c) {
                asked.add(new IndexState.Removal(Removed.CHANNEL, c.channel()));
            }
        }
        channels.removeAll(entries.keySet());
        java.util.Map<Jid, ChannelEntry> found = stored.channels(channels);
        channels.forEach(c -> entries.put(c, Optional.ofNullable(found.get(c))));
        asked.removeIf(r -> removals.containsKey(r.kind() + " " + r.jid()));
        java.util.Map<IndexState.Removal, Instant> removed = stored.removedAt(asked);
        asked.forEach(r -> removals.put(r.kind() + " " + r.jid(), Optional.ofNullable(removed.get(r))));
    }

    /** Plans what one event does to the index; events that do not concern it change nothing. */
    public void plan(Object event) {
        if (event instanceof PostPublished p) {
            putPost(p.post(), p.accessModel(), p.post().published());
        } else if (event instanceof PostUpdated u) {
            putPost(u.post(), u.accessModel(), u.post().published());
        } else if (event instanceof PostImported i) {
            // restored from an archive with its original times: found like any post of the channel
            putPost(i.post(), i.accessModel(), i.importedAt());
        } else if (event instanceof PostRetracted r && isPosts(r.channel(), r.node())) {
            changes.add(new IndexChange.RemovePost(r.channel(), r.itemId()));
        } else if (event instanceof ChannelCreated c) {
            created(c);
        } else if (event instanceof ChannelConfigured c && isPosts(c.channel(), c.node())) {
            configured(c.channel(), c.settings(), c.configuredAt());
        } else if (event instanceof ChannelDeleted d) {
            removeChannel(d.channel(), true, d.deletedAt());
        } else if (event instanceof NodeDeleted d && isPosts(d.channel(), d.node())) {
            removeChannel(d.channel(), false, d.deletedAt());
        } else if (event instanceof AccountDeleted a) {
            // the personal channel goes with its account (its own ChannelDeleted may follow, or not in older streams)
            removeChannel(a.jid(), true, a.deletedAt());
            changes.add(new IndexChange.RemoveAuthor(a.jid(), remember(Removed.AUTHOR, a.jid(), a.deletedAt())));
        }
    }

    public List<IndexChange> changes() {
        return List.copyOf(changes);
    }

    static boolean isPosts(Jid channel, String node) {
        return ("/user/" + channel + "/posts").equals(node);
    }

    /** {@code at}: when the post came to be in its channel (published, or restored from an archive), set against removals. */
    private void putPost(Post post, AccessModel eventModel, Instant at) {
        if (!isPosts(post.channel(), post.node()) || post.published() == null || at == null
                || removedSince(Removed.CHANNEL, post.channel(), at)
                || post.author() != null && removedSince(Removed.AUTHOR, post.author(), at)) {
            return;
        }
        Instant written = post.updated() != null ? post.updated() : post.published();
        AccessModel model = entry(post.channel())
                .filter(e -> e.configuredAt() != null && e.configuredAt().isAfter(written))
                .map(ChannelEntry::accessModel).orElse(eventModel);
        boolean located = post.geoloc() != null && Places.valid(post.geoloc().lat(), post.geoloc().lon());
        changes.add(new IndexChange.PutPost(new PostEntry(post.channel(), post.node(), post.itemId(), post.author(),
                post.inReplyTo(), post.published(), written, post.title(), post.content(), model,
                located ? post.geoloc().lat() : null, located ? post.geoloc().lon() : null)));
    }

    private void created(ChannelCreated c) {
        if (removedSince(Removed.CHANNEL, c.channel(), c.createdAt())) {
            return;
        }
        NodeSettings s = c.settings();
        NodeSettings.Place place = s == null ? null : s.location();
        put(new ChannelEntry(c.channel(), c.channelType(), c.owner(), s == null ? null : s.title(),
                s == null ? null : s.description(), c.accessModel(), s == null ? null : s.defaultAffiliation(),
                s == null || s.advertised(), c.createdAt(), c.createdAt(), lat(place), lon(place), place == null ? null : place.text()));
    }

    private void configured(Jid channel, NodeSettings s, Instant at) {
        if (removedSince(Removed.CHANNEL, channel, at)) {
            return;
        }
        Optional<ChannelEntry> before = entry(channel);
        NodeSettings.Place place = s.location();
        put(new ChannelEntry(channel, before.map(ChannelEntry::type).orElse(null),
                before.map(ChannelEntry::owner).orElse(null), s.title(), s.description(), s.accessModel(),
                s.defaultAffiliation(), s.advertised(), before.map(ChannelEntry::created).orElse(null), at,
                lat(place), lon(place), place == null ? null : place.text()));
        if (before.map(e -> e.accessModel() != s.accessModel()).orElse(true)) {
            changes.add(new IndexChange.ChangeAccess(channel, s.accessModel()));
        }
    }

    private void removeChannel(Jid channel, boolean entryToo, Instant at) {
        changes.add(new IndexChange.RemoveChannel(channel, entryToo, remember(Removed.CHANNEL, channel, at)));
        if (entryToo) {
            entries.put(channel, Optional.empty());
        }
    }

    private void put(ChannelEntry entry) {
        entries.put(entry.channel(), Optional.of(entry));
        changes.add(new IndexChange.PutChannel(entry));
    }

    private Optional<ChannelEntry> entry(Jid channel) {
        return entries.computeIfAbsent(channel, stored::channel);
    }

    /** Removed at or after {@code written}: what was written then belongs to what is gone. */
    private boolean removedSince(Removed kind, Jid jid, Instant written) {
        return written != null && removals.computeIfAbsent(kind + " " + jid, k -> stored.removedAt(kind, jid))
                .map(removed -> !removed.isBefore(written)).orElse(false);
    }

    /** Remembers the removal; answers the latest one known (a replayed older removal does not move it back). */
    private Instant remember(Removed kind, Jid jid, Instant at) {
        String key = kind + " " + jid;
        Optional<Instant> known = removals.computeIfAbsent(key, k -> stored.removedAt(kind, jid));
        Instant latest = known.filter(was -> was.isAfter(at)).orElse(at);
        removals.put(key, Optional.of(latest));
        return latest;
    }

    /** A place only when it is a point on the globe: an event from before places were checked is not trusted blindly. */
    private static Double lat(NodeSettings.Place place) {
        return place != null && Places.valid(place.lat(), place.lon()) ? place.lat() : null;
    }

    private static Double lon(NodeSettings.Place place) {
        return place != null && Places.valid(place.lat(), place.lon()) ? place.lon() : null;
    }
}
