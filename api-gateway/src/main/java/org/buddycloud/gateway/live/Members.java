package org.buddycloud.gateway.live;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.NodeCreated;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;

/**
 * Who stands where on every node, kept in memory from the channel and membership events (the gateway stores
 * nothing; each replica rebuilds this from the topics when it starts). The channel server owns these facts; this
 * is the read model the live streams decide with, through the shared access rule.
 */
public final class Members {

    private final Map<String, Map<Jid, Standing>> byNode = new ConcurrentHashMap<>();
    private final Map<String, AccessModel> accessModels = new ConcurrentHashMap<>();

    /** The node's access model now, when the events said (a post's own says what it was published under). */
    public Optional<AccessModel> accessModel(String node) {
        return Optional.ofNullable(accessModels.get(node));
    }

    public Standing standing(String node, Jid jid) {
        Map<Jid, Standing> members = byNode.get(node);
        Standing standing = members == null ? null : members.get(jid);
        return standing == null ? Standing.STRANGER : standing;
    }

    /** The JIDs with any standing on the node (owners, followers, pending, outcasts). */
    public Set<Jid> of(String node) {
        Map<Jid, Standing> members = byNode.get(node);
        return members == null ? Set.of() : members.keySet();
    }

    public int size() {
        return byNode.values().stream().mapToInt(Map::size).sum();
    }

    /** Applies one event of the channels or memberships topic; others change nothing. */
    public void apply(Object event) {
        if (event instanceof ChannelCreated created) {
            created.nodes().forEach(node -> {
                set(node.node(), created.owner(), Standing.of(Affiliation.OWNER, Subscription.SUBSCRIBED));
                accessModels.put(node.node(), node.accessModel());
            });
        } else if (event instanceof NodeCreated created) {
            if (created.actor() != null) {
                set(created.node(), created.actor(), Standing.of(Affiliation.OWNER, Subscription.SUBSCRIBED));
            }
            accessModels.put(created.node(), created.settings().accessModel());
        } else if (event instanceof ChannelConfigured configured) {
            accessModels.put(configured.node(), configured.settings().accessModel());
        } else if (event instanceof SubscriptionChanged changed) {
            set(changed.node(), changed.subscriber(), Standing.of(changed.affiliation(), changed.subscription()));
        } else if (event instanceof AffiliationChanged changed) {
            set(changed.node(), changed.jid(), Standing.of(changed.affiliation(), changed.subscription()));
        } else if (event instanceof NodeDeleted deleted) {
            byNode.remove(deleted.node());
            accessModels.remove(deleted.node());
        } else if (event instanceof ChannelDeleted deleted) {
            String prefix = "/user/" + deleted.channel() + "/";
            byNode.keySet().removeIf(node -> node.startsWith(prefix));
            accessModels.keySet().removeIf(node -> node.startsWith(prefix));
        }
    }

    private void set(String node, Jid jid, Standing standing) {
        Jid bare = jid.toBare();
        if (standing.affiliation() == Affiliation.NONE && standing.subscription() == Subscription.NONE) {
            Map<Jid, Standing> members = byNode.get(node);
            if (members != null) {
                members.remove(bare);
                if (members.isEmpty()) {
                    byNode.remove(node, members);
                }
            }
            return;
        }
        byNode.computeIfAbsent(node, n -> new ConcurrentHashMap<>()).put(bare, standing);
    }
}
