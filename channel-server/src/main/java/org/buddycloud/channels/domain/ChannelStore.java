package org.buddycloud.channels.domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/** Persistence of channels, their nodes and node configurations. */
public interface ChannelStore {

    /** Stores a new channel; false when one with that JID exists. */
    boolean insertChannel(Channel channel);

    Optional<Channel> channel(Jid jid);

    /** Deletes the channel with its nodes, items and memberships. */
    void deleteChannel(Jid jid);

    /** Stores a new node; false when it exists. */
    boolean insertNode(NodeName node, NodeConfig config);

    Optional<NodeConfig> config(NodeName node);

    /**
     * The node's configuration with the JID's membership in it ({@link Membership#none} when it has none), in one query;
     * empty when there is no such node.
     */
    Optional<NodeStanding> configAndMembership(NodeName node, Jid jid);

    /** A node's configuration and one JID's membership in it. */
    record NodeStanding(NodeConfig config, Membership membership) {
    }

    /** The configurations of many nodes in one query (nodes that do not exist are left out). */
    Map<NodeName, NodeConfig> configs(Collection<NodeName> nodes);

    void updateConfig(NodeName node, NodeConfig config);

    List<NodeName> nodes(Jid channel);

    /** The nodes of the channels of {@code domain} and of {@code topics.<domain>}: for another domain, our copies of its nodes. */
    List<NodeName> copiesOf(String domain);

    /** Advertised nodes of this server in name order, {@code limit} of them after {@code after} (exclusive, or from the start). */
    List<NodeName> advertisedNodes(String after, int limit);

    long advertisedNodeCount();

    /** Deletes the node with its items and memberships. */
    void deleteNode(NodeName node);

    /**
     * Locks the node until the transaction ends, so that decisions about its membership as a whole (the last
     * owner, the last follower) are not taken twice at the same moment.
     */
    void lock(NodeName node);
}
