package org.buddycloud.channels.federation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.contracts.jid.Jid;
import org.jboss.logging.Logger;

/**
 * Takes our users along when a channel they followed moved: each follows the new node (through its own server when it
 * is another domain's, which answers "subscribed" for a follower the import there restored, and asks again for a
 * private channel that did not) and then leaves the old one, so that no server keeps telling them of a node they no
 * longer read. They were told where the channel went; a refusal is logged, and they may ask again themselves.
 */
@ApplicationScoped
public class FollowersMove {

    private static final Logger LOG = Logger.getLogger(FollowersMove.class);

    private final RemoteChannels remote;
    private final ChannelTransactions changes;

    FollowersMove(RemoteChannels remote, ChannelTransactions changes) {
        this.remote = remote;
        this.changes = changes;
    }

    /** Each of {@code followers} (our users) follows {@code to} and leaves {@code from}. */
    public void move(NodeName from, NodeName to, List<Jid> followers) {
        for (Jid follower : followers) {
            follow(follower, to, true)
                    .whenComplete((followed, refused) -> {
                        if (refused != null) {
                            LOG.infof("%s could not follow %s, where %s moved: %s", follower, to, from, refused.getMessage());
                        }
                    })
                    .handle((followed, refused) -> follow(follower, from, false)).thenCompose(left -> left)
                    .exceptionally(refused -> {
                        LOG.infof("%s could not leave %s, which moved to %s: %s", follower, from, to, refused.getMessage());
                        return null;
                    });
        }
    }

    private CompletableFuture<?> follow(Jid user, NodeName node, boolean follow) {
        if (remote.isRemote(node)) {
            return remote.followLater(user, node, follow);
        }
        try {
            return CompletableFuture.completedFuture(follow ? changes.subscribe(Actor.of(user), node)
                    : changes.unsubscribe(Actor.of(user), node, user));
        } catch (DomainException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }
}
