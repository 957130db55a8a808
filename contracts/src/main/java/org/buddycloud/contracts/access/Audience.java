package org.buddycloud.contracts.access;

import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.jid.Jid;

/**
 * Who is told of a change to a node, derived from {@link Permissions}: the XMPP notifications of the
 * channel server, its catch-up, and every later listener (push, the gateway's live stream) ask here, so
 * that nobody hears of what they may not read.
 */
public final class Audience {

    private final Permissions permissions;

    public Audience(Permissions permissions) {
        this.permissions = permissions;
    }

    /**
     * Told of a node's items (published, edited, retracted) and of its configuration: its followers, and
     * its owners even when they do not follow, as long as they may read the node under {@code model}, the
     * access model the change was made under.
     */
    public boolean hearsOfItems(AccessModel model, Actor listener, Standing standing) {
        return (standing.subscribed() || standing.affiliation() == Affiliation.OWNER)
                && permissions.allows(Action.READ, model, standing, listener);
    }

    /**
     * Told that {@code subject}'s membership changed to {@code now}: the subject, the node's owners and
     * moderators, and followers who may read the node — but those only of somebody who follows it now.
     * Requests, invitations, departures and bans are the business of the subject and of whoever manages
     * the followers (a follower list shows neither pending nor banned JIDs).
     */
    public boolean hearsOfMembership(AccessModel model, Actor listener, Standing standing, Jid subject, Standing now) {
        if (listener.is(subject) || standing.privileged()) {
            return true;
        }
        return now.subscribed() && now.affiliation() != Affiliation.OUTCAST && standing.subscribed()
                && permissions.allows(Action.READ, model, standing, listener);
    }

    /**
     * Told of a node's posts through {@code /firehose}, by following that: the posts anybody may read (the read rule
     * for a stranger nobody knows) of nodes that are advertised, unless the listener is banned from the node.
     */
    public boolean hearsThroughFirehose(AccessModel model, boolean advertised, Standing standing) {
        return advertised && standing.affiliation() != Affiliation.OUTCAST
                && permissions.allows(Action.READ, model, Standing.STRANGER, Actor.ANONYMOUS);
    }

    /**
     * Whose following of a node may shape what {@code viewer} is shown about other nodes (recommendations, similar
     * channels): only a node whose followers anybody of the viewer's kind may list — the read rule for a stranger —
     * so that nothing computed from the follow graph reveals the members of a node the viewer may not read.
     */
    public boolean countsFollowersOf(AccessModel model, Actor viewer) {
        return permissions.allows(Action.READ, model, Standing.STRANGER, viewer);
    }

    /**
     * Suggested to {@code viewer} by the directory (recommended, similar, most active): a node the owner lets be
     * advertised and whose followers the viewer may list.
     */
    public boolean findsInDirectory(AccessModel model, boolean advertised, Actor viewer) {
        return advertised && countsFollowersOf(model, viewer);
    }

    /** Asked to approve or deny follow requests, and shown those waiting: the node's owners and moderators. */
    public boolean decidesFollowRequests(Standing standing) {
        return standing.privileged();
    }
}
