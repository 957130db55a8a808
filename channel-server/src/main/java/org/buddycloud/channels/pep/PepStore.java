package org.buddycloud.channels.pep;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/** Where personal nodes and their items live. Calls join the caller's transaction. */
public interface PepStore {

    /** The node, locked until the transaction ends when {@code forUpdate}. */
    Optional<PepNode> node(Jid owner, String node, boolean forUpdate);

    List<PepNode> nodes(Jid owner);

    void saveNode(Jid owner, PepNode node);

    boolean deleteNode(Jid owner, String node);

    /** Stores the item as the newest (a known id is replaced and moves to the front), keeping the newest {@code keep}. */
    void publish(PepItem item, int keep);

    boolean retract(Jid owner, String node, String id);

    /** The newest {@code max} items, newest first. */
    List<PepItem> items(Jid owner, String node, int max);

    Optional<PepItem> item(Jid owner, String node, String id);

    /** The newest item of each of the nodes at each of the owners that has one. */
    List<PepItem> lastItems(Collection<Jid> owners, Collection<String> nodes);
}
