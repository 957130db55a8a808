package org.buddycloud.channels.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.InboxService;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;
import org.jboss.logging.Logger;

/** Runs each change of a copy (the inbox) in one database transaction, with its outbox events. */
@ApplicationScoped
public class InboxTransactions {

    private static final Logger LOG = Logger.getLogger(InboxTransactions.class);

    /** One item of a remote node: its id and its entry as the remote sent it. */
    public record RemoteItem(String id, AtomEntries.RemoteEntry entry) {
    }

    private final InboxService inbox;

    InboxTransactions(InboxService inbox) {
        this.inbox = inbox;
    }

    /** See {@link InboxService#subscription}; true when a local user may read the node now and could not before. */
    @Transactional
    public boolean subscription(NodeName node, Jid member, Subscription subscription) {
        return inbox.subscription(node, member, subscription);
    }

    /** See {@link InboxService#requestedSubscription}. */
    @Transactional
    public boolean requestedSubscription(NodeName node, Jid member, Subscription subscription) {
        return inbox.requestedSubscription(node, member, subscription);
    }

    /** See {@link InboxService#affiliation}. */
    @Transactional
    public boolean affiliation(NodeName node, Jid member, Affiliation affiliation) {
        return inbox.affiliation(node, member, affiliation);
    }

    @Transactional
    public void configure(NodeName node, NodeConfig config) {
        inbox.configure(node, config);
    }

    /** Applies a page of items at once; returns how many changed the copy. */
    @Transactional
    public int posts(NodeName node, List<RemoteItem> items) {
        inbox.requireRemote(node);
        int changed = 0;
        for (RemoteItem item : items) {
            AtomEntries.RemoteEntry e = item.entry();
            try {
                if (inbox.post(node, item.id(), e.draft(), e.author(), e.published(), e.updated())) {
                    changed++;
                }
            } catch (DomainException refused) {
                // refused before anything was written (a reply to a reply, content beyond our limit): the rest is kept
                LOG.warnf("item %s of %s not kept in the copy: %s", item.id(), node, refused.getMessage());
            }
        }
        return changed;
    }

    @Transactional
    public boolean retract(NodeName node, String itemId) {
        return inbox.retract(node, itemId);
    }

    /** See {@link InboxService#moved}. */
    @Transactional
    public List<Jid> moved(NodeName node, NodeName to) {
        return inbox.moved(node, to);
    }

    @Transactional
    public void deleted(NodeName node) {
        inbox.deleted(node);
    }
}
