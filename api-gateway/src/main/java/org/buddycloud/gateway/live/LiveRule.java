package org.buddycloud.gateway.live;

import java.util.Optional;
import org.buddycloud.contracts.access.Action;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.PostUpdated;
import org.buddycloud.contracts.events.SubscriptionChanged;

/**
 * Who hears of an event on a live stream: the shared {@link Audience} (derived from {@link Permissions}) decides,
 * as it does for XMPP notifications and push. A stream of what the caller follows hears what the audience rule
 * tells followers; a stream watching named channels hears their items when the caller may read them.
 */
public final class LiveRule {

    private final Permissions permissions;
    private final Audience audience;

    public LiveRule(Permissions permissions) {
        this.permissions = permissions;
        this.audience = new Audience(permissions);
    }

    /**
     * @param standing the listener's standing on the event's node now (after the event, for membership changes)
     * @param current  the node's access model now, when known: an event held for resuming streams is judged by what
     *                 the node is now, not by what it was when the post was made
     * @param followed true for a stream of what the listener follows, false for one watching the event's channel
     */
    public boolean hears(Object event, Actor listener, Standing standing, Optional<AccessModel> current, boolean followed) {
        if (event instanceof PostPublished p) {
            return items(current.orElse(p.accessModel()), listener, standing, followed);
        }
        if (event instanceof PostUpdated p) {
            return items(current.orElse(p.accessModel()), listener, standing, followed);
        }
        if (event instanceof PostRetracted r) {
            return items(current.orElse(r.accessModel()), listener, standing, followed);
        }
        if (event instanceof SubscriptionChanged s) {
            return audience.hearsOfMembership(s.accessModel(), listener, standing, s.subscriber(),
                    Standing.of(s.affiliation(), s.subscription()));
        }
        if (event instanceof AffiliationChanged a) {
            return audience.hearsOfMembership(a.accessModel(), listener, standing, a.jid(),
                    Standing.of(a.affiliation(), a.subscription()));
        }
        // a deletion names who followed: they are told, nobody else learns the node existed
        if (event instanceof NodeDeleted d) {
            return listener.id().map(jid -> d.followers().contains(jid) || jid.equals(d.actor())).orElse(false);
        }
        if (event instanceof ChannelDeleted d) {
            return listener.id().map(jid -> d.followers().contains(jid) || jid.equals(d.actor())).orElse(false);
        }
        return false;
    }

    private boolean items(AccessModel model, Actor listener, Standing standing, boolean followed) {
        return followed ? audience.hearsOfItems(model, listener, standing) : permissions.allows(Action.READ, model, standing, listener);
    }
}
