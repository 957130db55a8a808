package org.buddycloud.channels.pep;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Personal eventing (XEP-0163): every account is a pubsub service of its own nodes, created on
 * first publish with the publish options (XEP-0223) as their configuration. It decides what is
 * kept and who may read; who is told is the protocol layer's business.
 */
public final class PepService {

    public static final int MAX_NODE_NAME = 256;
    public static final int MAX_ITEM_ID = 256;
    /** "max" in publish options (XEP-0402 bookmarks ask for it) means this many. */
    public static final int MAX_ITEMS_CAP = 1000;
    public static final int MAX_NODES = 200;

    private final PepStore store;
    private final Clock clock;

    public PepService(PepStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A refused precondition (XEP-0223 §5: the node's configuration differs from the publish options). */
    public static final class PreconditionNotMet extends DomainException {
        public PreconditionNotMet(String message) {
            super(Condition.CONFLICT, message);
        }
    }

    /** Publishes an item, creating the node from the options; returns the node it went to. */
    public PepNode publish(Jid owner, String node, String itemId, String payload, Map<String, String> options) {
        checkNodeName(node);
        if (itemId.isEmpty() || itemId.length() > MAX_ITEM_ID) {
            throw new DomainException(Condition.BAD_REQUEST, "an item id is 1 to " + MAX_ITEM_ID + " characters");
        }
        PepNode wanted = configured(node, options);
        Optional<PepNode> existing = store.node(owner, node, true);
        PepNode target;
        if (existing.isPresent()) {
            target = existing.get();
            if (options.containsKey("pubsub#access_model") && target.access() != wanted.access()
                    || options.containsKey("pubsub#max_items") && target.maxItems() != wanted.maxItems()) {
                throw new PreconditionNotMet("the node is configured otherwise: access " + target.access().wireName()
                        + ", max_items " + target.maxItems());
            }
        } else {
            if (store.nodes(owner).size() >= MAX_NODES) {
                throw new DomainException(Condition.NOT_ACCEPTABLE, "an account has at most " + MAX_NODES + " personal nodes");
            }
            target = wanted;
            store.saveNode(owner, target);
        }
        store.publish(new PepItem(owner, node, itemId, payload, clock.instant()), target.maxItems());
        return target;
    }

    /** Creates a node explicitly (XEP-0060 §8.1), configured by the form; {@code conflict} when it exists. */
    public PepNode create(Jid owner, String node, Map<String, String> options) {
        checkNodeName(node);
        if (store.node(owner, node, true).isPresent()) {
            throw new DomainException(Condition.CONFLICT, "the node " + node + " exists");
        }
        if (store.nodes(owner).size() >= MAX_NODES) {
            throw new DomainException(Condition.NOT_ACCEPTABLE, "an account has at most " + MAX_NODES + " personal nodes");
        }
        PepNode created = configured(node, options);
        store.saveNode(owner, created);
        return created;
    }

    public Optional<PepNode> node(Jid owner, String node) {
        return store.node(owner, node, false);
    }

    public List<PepNode> nodes(Jid owner) {
        return store.nodes(owner);
    }

    /** The node's items for a reader: the newest {@code max}, or the one named. */
    public List<PepItem> items(Jid owner, String node, Jid reader, boolean subscribed, int max, Optional<String> id) {
        PepNode found = readable(owner, node, reader, subscribed);
        if (id.isPresent()) {
            return store.item(owner, found.name(), id.get()).map(List::of).orElse(List.of());
        }
        return store.items(owner, found.name(), Math.min(max, MAX_ITEMS_CAP));
    }

    public boolean retract(Jid owner, String node, String itemId) {
        store.node(owner, node, true).orElseThrow(() -> notFound(node));
        return store.retract(owner, node, itemId);
    }

    public void deleteNode(Jid owner, String node) {
        if (!store.deleteNode(owner, node)) {
            throw notFound(node);
        }
    }

    /** Reconfigures a node (the owner's configure form). */
    public PepNode configure(Jid owner, String node, Map<String, String> options) {
        PepNode existing = store.node(owner, node, true).orElseThrow(() -> notFound(node));
        PepNode changed = new PepNode(node,
                options.containsKey("pubsub#access_model") ? access(options.get("pubsub#access_model")) : existing.access(),
                options.containsKey("pubsub#max_items") ? maxItems(options.get("pubsub#max_items")) : existing.maxItems());
        store.saveNode(owner, changed);
        return changed;
    }

    public List<PepItem> lastItems(List<Jid> owners, List<String> nodes) {
        return owners.isEmpty() || nodes.isEmpty() ? List.of() : store.lastItems(owners, nodes);
    }

    private PepNode readable(Jid owner, String node, Jid reader, boolean subscribed) {
        PepNode found = store.node(owner, node, false).orElseThrow(() -> notFound(node));
        if (!found.access().allows(reader.toBare().equals(owner), subscribed)) {
            throw new DomainException(Condition.FORBIDDEN, "the node is not open to you");
        }
        return found;
    }

    private static PepNode configured(String node, Map<String, String> options) {
        return new PepNode(node, options.containsKey("pubsub#access_model") ? access(options.get("pubsub#access_model")) : PepAccess.PRESENCE,
                options.containsKey("pubsub#max_items") ? maxItems(options.get("pubsub#max_items")) : 1);
    }

    private static PepAccess access(String value) {
        return PepAccess.of(value).orElseThrow(() -> new DomainException(Condition.NOT_ACCEPTABLE,
                "access model is one of presence, roster, open, whitelist"));
    }

    private static int maxItems(String value) {
        if ("max".equals(value.trim())) {
            return MAX_ITEMS_CAP;
        }
        try {
            int max = Integer.parseInt(value.trim());
            if (max < 1 || max > MAX_ITEMS_CAP) {
                throw new NumberFormatException();
            }
            return max;
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.NOT_ACCEPTABLE, "max_items is 1 to " + MAX_ITEMS_CAP + " or 'max'");
        }
    }

    private static void checkNodeName(String node) {
        if (node.isEmpty() || node.length() > MAX_NODE_NAME || node.chars().anyMatch(c -> c < 0x20)) {
            throw new DomainException(Condition.BAD_REQUEST, "a node name is 1 to " + MAX_NODE_NAME + " printable characters");
        }
    }

    private static DomainException notFound(String node) {
        return new DomainException(Condition.ITEM_NOT_FOUND, "no node " + node);
    }
}
