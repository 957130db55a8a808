package org.buddycloud.channels.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.jid.Jid;

/** Persistence of affiliations and subscriptions, one {@link Membership} per node and JID. */
public interface MembershipStore {

    /** A node and one JID's standing in it. */
    record NodeMembership(NodeName node, Membership membership) {
    }

    /** The JID's membership, {@link Membership#none} when it has none. */
    Membership membership(NodeName node, Jid jid);

    /** The JID's memberships in many nodes in one query; nodes without one are left out. */
    Map<NodeName, Membership> memberships(Jid jid, Collection<NodeName> nodes);

    /** Stores the membership; an empty one is removed. */
    void save(NodeName node, Membership membership);

    List<Membership> members(NodeName node);

    /** Every node the JID has an affiliation with or a subscription to. */
    List<NodeMembership> membershipsOf(Jid jid);

    /**
     * Memberships changed within {@code [since, until]} on the nodes {@code follower} is subscribed to,
     * oldest change first, at most {@code limit}: one query however many nodes are followed.
     */
    List<NodeMembership> changedOnFollowedNodes(Jid follower, Instant since, Instant until, int limit);

    long owners(NodeName node);

    /** Follows or stops following {@code /firehose}, the public posts of the whole server. */
    void followFirehose(Jid jid, boolean follow, Instant at);

    /** Who follows {@code /firehose}. */
    List<Jid> firehoseFollowers();

    /** Who may hear of a change in a node: its members ({@link #members}) and who follows {@code /firehose}, in one query. */
    Listeners listeners(NodeName node);

    /** The node's members and the followers of {@code /firehose}. */
    record Listeners(List<Membership> members, List<Jid> firehoseFollowers) {
    }
}
