package org.buddycloud.taste.domain;

import java.time.Instant;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.EventPayload;
import org.buddycloud.contracts.events.NodeSettings;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;

/**
 * What each channel event changes in the taste engine's model: the follow graph from memberships of the {@code /posts}
 * nodes (follows, departures, bans; an account's deletion arrives as its memberships ending and its channels deleted),
 * the catalog from channels created, configured and deleted, the activity from posts. Every change sets a state, so an
 * event applied twice changes nothing more — except a post, which the consumer hands over once.
 */
public final class TasteEvents {

    private final FollowGraph graph;
    private final ChannelCatalog catalog;
    private final ActivityLedger activity;

    public TasteEvents(FollowGraph graph, ChannelCatalog catalog, ActivityLedger activity) {
        this.graph = graph;
        this.catalog = catalog;
        this.activity = activity;
    }

    public void apply(EventPayload event, Instant now) {
        if (event instanceof ChannelCreated c) {
            NodeSettings s = c.settings();
            catalog.put(new ChannelFacts(c.channel(), c.channelType(), c.owner(), s == null ? null : s.title(),
                    s == null ? null : s.description(), c.accessModel(), s == null ? null : s.defaultAffiliation(),
                    s == null || s.advertised(), c.createdAt()));
            graph.stand(c.channel(), c.owner(), tie(c.channel(), c.owner(), Affiliation.OWNER, Subscription.SUBSCRIBED));
        } else if (event instanceof ChannelConfigured c && isPosts(c.channel(), c.node())) {
            NodeSettings s = c.settings();
            ChannelFacts known = catalog.get(c.channel())
                    .orElse(new ChannelFacts(c.channel(), null, null, null, null, s.accessModel(), null, s.advertised(), null));
            catalog.put(known.configured(s.title(), s.description(), s.accessModel(), s.defaultAffiliation(), s.advertised()));
        } else if (event instanceof ChannelDeleted d) {
            catalog.remove(d.channel());
            graph.forgetChannel(d.channel());
            activity.forget(d.channel());
        } else if (event instanceof SubscriptionChanged s && isPosts(s.channel(), s.node())) {
            graph.stand(s.channel(), s.subscriber(), tie(s.channel(), s.subscriber(), s.affiliation(), s.subscription()));
        } else if (event instanceof AffiliationChanged a && isPosts(a.channel(), a.node())) {
            graph.stand(a.channel(), a.jid(), tie(a.channel(), a.jid(), a.affiliation(), a.subscription()));
        } else if (event instanceof PostPublished p && isPosts(p.post().channel(), p.post().node())) {
            activity.posted(p.post().channel(), p.post().published() == null ? now : p.post().published(), now);
        }
    }

    /** Following is taste; any other standing (asked, banned, one's own channel) only keeps the channel from being suggested. */
    static FollowGraph.Tie tie(Jid channel, Jid user, Affiliation affiliation, Subscription subscription) {
        if (affiliation == Affiliation.NONE && subscription == Subscription.NONE) {
            return FollowGraph.Tie.NONE;
        }
        boolean follows = subscription == Subscription.SUBSCRIBED && affiliation != Affiliation.OUTCAST;
        return follows && !channel.equals(user.toBare()) ? FollowGraph.Tie.FOLLOWS : FollowGraph.Tie.KNOWN;
    }

    private static boolean isPosts(Jid channel, String node) {
        return ("/user/" + channel + "/posts").equals(node);
    }
}
