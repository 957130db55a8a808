package org.buddycloud.search.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.NodeSettings;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.PostUpdated;
import org.buddycloud.contracts.jid.Jid;

/**
 * Turns one batch of channel events into index changes, in their order. Only a channel's {@code /posts} node is
 * indexed: it holds the channel's content and its configuration stands for the channel (title, access model, place).
 * Directory entries are built up across events (creation, then configurations), so the planner reads the stored
 * entry once and keeps what the batch did to it.
 *
 * <p>Posts and configurations come on different topics, in no order between them. So a post takes the access model
 * its event carries unless the channel's was set later than the post was written; a change of access model rewrites
 * every post the channel has. Either way the later decision wins.
 */
public final class IndexPlanner {

    private final Function<Jid, Optional<ChannelEntry>> stored;
    private final Map<Jid, Optional<ChannelEntry>> entries = new HashMap<>();
    private final List<IndexChange> changes = new ArrayList<>();

    /** @param stored the directory entry the index holds for a channel */
    public IndexPlanner(Function<Jid, Optional<ChannelEntry>> stored) {
        this.stored = stored;
    }

    /** Plans what one event does to the index; events that do not concern it change nothing. */
    public void plan(Object event) {
        if (event instanceof PostPublished p) {
            putPost(p.post(), p.accessModel());
        } else if (event instanceof PostUpdated u) {
            putPost(u.post(), u.accessModel());
        } else if (event instanceof PostRetracted r && isPosts(r.channel(), r.node())) {
            changes.add(new IndexChange.RemovePost(r.channel(), r.itemId()));
        } else if (event instanceof ChannelCreated c) {
            created(c);
        } else if (event instanceof ChannelConfigured c && isPosts(c.channel(), c.node())) {
            configured(c.channel(), c.settings(), c.configuredAt());
        } else if (event instanceof ChannelDeleted d) {
            removeChannel(d.channel(), true);
        } else if (event instanceof NodeDeleted d && isPosts(d.channel(), d.node())) {
            removeChannel(d.channel(), false);
        } else if (event instanceof AccountDeleted a) {
            // the personal channel goes with its account (its own ChannelDeleted may follow, or not in older streams)
            removeChannel(a.jid(), true);
            changes.add(new IndexChange.RemoveAuthor(a.jid()));
        }
    }

    public List<IndexChange> changes() {
        return List.copyOf(changes);
    }

    static boolean isPosts(Jid channel, String node) {
        return ("/user/" + channel + "/posts").equals(node);
    }

    private void putPost(Post post, AccessModel eventModel) {
        if (!isPosts(post.channel(), post.node())) {
            return;
        }
        Instant written = post.updated() != null ? post.updated() : post.published();
        AccessModel model = entry(post.channel())
                .filter(e -> e.configuredAt() != null && written != null && e.configuredAt().isAfter(written))
                .map(ChannelEntry::accessModel).orElse(eventModel);
        Double lat = post.geoloc() == null ? null : post.geoloc().lat();
        Double lon = post.geoloc() == null ? null : post.geoloc().lon();
        changes.add(new IndexChange.PutPost(new PostEntry(post.channel(), post.node(), post.itemId(), post.author(),
                post.inReplyTo(), post.published(), post.updated() != null ? post.updated() : post.published(),
                post.title(), post.content(), model, lat, lon)));
    }

    private void created(ChannelCreated c) {
        NodeSettings s = c.settings();
        NodeSettings.Place place = s == null ? null : s.location();
        ChannelEntry entry = new ChannelEntry(c.channel(), c.channelType(), c.owner(), s == null ? null : s.title(),
                s == null ? null : s.description(), c.accessModel(), s == null ? null : s.defaultAffiliation(),
                s == null || s.advertised(), c.createdAt(), c.createdAt(),
                place == null ? null : place.lat(), place == null ? null : place.lon(), place == null ? null : place.text());
        put(entry);
    }

    private void configured(Jid channel, NodeSettings s, Instant at) {
        Optional<ChannelEntry> before = entry(channel);
        NodeSettings.Place place = s.location();
        ChannelEntry entry = new ChannelEntry(channel, before.map(ChannelEntry::type).orElse(null),
                before.map(ChannelEntry::owner).orElse(null), s.title(), s.description(), s.accessModel(),
                s.defaultAffiliation(), s.advertised(), before.map(ChannelEntry::created).orElse(null), at,
                place == null ? null : place.lat(), place == null ? null : place.lon(), place == null ? null : place.text());
        put(entry);
        if (before.map(e -> e.accessModel() != s.accessModel()).orElse(true)) {
            changes.add(new IndexChange.ChangeAccess(channel, s.accessModel()));
        }
    }

    private void removeChannel(Jid channel, boolean entryToo) {
        changes.add(new IndexChange.RemoveChannel(channel, entryToo));
        if (entryToo) {
            entries.put(channel, Optional.empty());
        }
    }

    private void put(ChannelEntry entry) {
        entries.put(entry.channel(), Optional.of(entry));
        changes.add(new IndexChange.PutChannel(entry));
    }

    private Optional<ChannelEntry> entry(Jid channel) {
        return entries.computeIfAbsent(channel, stored);
    }
}
