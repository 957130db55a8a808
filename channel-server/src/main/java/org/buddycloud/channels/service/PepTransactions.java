package org.buddycloud.channels.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.channels.pep.PepItem;
import org.buddycloud.channels.pep.PepNode;
import org.buddycloud.channels.pep.PepService;
import org.buddycloud.contracts.jid.Jid;

/** Runs each personal-eventing use case in one database transaction. */
@ApplicationScoped
public class PepTransactions {

    private final PepService pep;

    PepTransactions(PepService pep) {
        this.pep = pep;
    }

    @Transactional
    public PepNode publish(Jid owner, String node, String itemId, String payload, Map<String, String> options) {
        return pep.publish(owner, node, itemId, payload, options);
    }

    @Transactional
    public void create(Jid owner, String node, Map<String, String> options) {
        pep.create(owner, node, options);
    }

    @Transactional
    public boolean retract(Jid owner, String node, String itemId) {
        return pep.retract(owner, node, itemId);
    }

    @Transactional
    public void deleteNode(Jid owner, String node) {
        pep.deleteNode(owner, node);
    }

    @Transactional
    public PepNode configure(Jid owner, String node, Map<String, String> options) {
        return pep.configure(owner, node, options);
    }

    public Optional<PepNode> node(Jid owner, String node) {
        return pep.node(owner, node);
    }

    public List<PepNode> nodes(Jid owner) {
        return pep.nodes(owner);
    }

    public List<PepItem> items(Jid owner, String node, Jid reader, boolean subscribed, int max, Optional<String> id) {
        return pep.items(owner, node, reader, subscribed, max, id);
    }
}
