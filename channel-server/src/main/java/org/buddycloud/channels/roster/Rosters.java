package org.buddycloud.channels.roster;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Roster management (RFC 6121 §2) and subscription changes (§3) on the stored rosters. It decides
 * states and what goes on; the protocol layer turns that into stanzas and roster pushes.
 */
public final class Rosters {

    /** RFC 6121 §2.3.3 leaves the limits to the server; these keep a roster row small and a roster bounded. */
    public static final int MAX_NAME = 1024;
    public static final int MAX_GROUP = 1024;
    public static final int MAX_GROUPS = 64;

    private final RosterStore store;
    private final int maxItems;

    public Rosters(RosterStore store, int maxItems) {
        this.store = store;
        this.maxItems = maxItems;
    }

    /** One subscription stanza between two users and what it did on each side that this server keeps. */
    public record Exchange(Optional<Step> sender, Optional<Step> recipient) {
    }

    /**
     * What the stanza did to one user's item: before and after, the transition's verdict, and the
     * change's place in line among the pair's changes ({@link RosterStore#lockPair}).
     */
    public record Step(RosterItem before, RosterItem after, SubscriptionState.Change change, long order) {

        public boolean pushNeeded() {
            return after.listed() && (!before.equals(after));
        }
    }

    public List<RosterItem> roster(Jid owner) {
        return store.listed(owner);
    }

    /** An item as one change left it (or as it was before it was removed), and the change's place in line among the pair's changes. */
    public record Changed(RosterItem item, long order) {
    }

    /** Adds or renames a contact, or changes its groups (a roster set without {@code subscription='remove'}). */
    public Changed update(Jid owner, Jid contact, String name, List<String> groups) {
        requireContact(owner, contact);
        String cleanName = name == null || name.isBlank() ? null : name;
        if (cleanName != null && cleanName.length() > MAX_NAME) {
            throw new DomainException(Condition.NOT_ACCEPTABLE, "the name is longer than " + MAX_NAME + " characters");
        }
        if (groups.size() > MAX_GROUPS) {
            throw new DomainException(Condition.NOT_ACCEPTABLE, "a contact is in at most " + MAX_GROUPS + " groups");
        }
        if (new HashSet<>(groups).size() != groups.size()) {
            throw new DomainException(Condition.BAD_REQUEST, "a group is named twice");
        }
        for (String group : groups) {
            if (group.isEmpty() || group.length() > MAX_GROUP) {
                throw new DomainException(Condition.NOT_ACCEPTABLE, "a group name is 1 to " + MAX_GROUP + " characters");
            }
        }
        // under the pair's lock: a subscription change between the read and the save would otherwise be lost
        long order = store.lockPair(owner, contact);
        Optional<RosterItem> existing = store.item(owner, contact);
        if (existing.map(item -> !item.listed()).orElse(true) && store.listedCount(owner) >= maxItems) {
            throw new DomainException(Condition.NOT_ALLOWED, "a roster holds at most " + maxItems + " contacts");
        }
        RosterItem item = existing.orElse(RosterItem.unlisted(contact)).listed(cleanName, groups);
        store.save(owner, item);
        return new Changed(item, order);
    }

    /** Removes a contact; the removed item says which subscriptions the caller must now cancel (RFC 6121 §2.5.2). */
    public Optional<Changed> remove(Jid owner, Jid contact) {
        long order = store.lockPair(owner, contact);
        Optional<RosterItem> existing = store.item(owner, contact).filter(RosterItem::listed);
        existing.ifPresent(item -> store.delete(owner, contact));
        return existing.map(item -> new Changed(item, order));
    }

    /**
     * A subscription stanza from {@code from} to {@code to}: the sender's side when it is a local
     * user, then the recipient's when it is one and the sender's side let the stanza go on. The pair
     * is locked for the whole exchange.
     */
    public Exchange subscription(Jid from, Jid to, SubscriptionType type, boolean senderLocal, boolean recipientLocal) {
        Jid sender = from.toBare();
        Jid recipient = to.toBare();
        if (sender.equals(recipient)) {
            throw new DomainException(Condition.BAD_REQUEST, "a subscription is between two different addresses");
        }
        long order = store.lockPair(sender, recipient);
        Optional<Step> out = senderLocal ? Optional.of(apply(sender, recipient, type, true, order)) : Optional.empty();
        boolean goesOn = out.map(step -> step.change().passOn()).orElse(true);
        Optional<Step> in = recipientLocal && goesOn ? Optional.of(apply(recipient, sender, type, false, order)) : Optional.empty();
        return new Exchange(out, in);
    }

    public List<Jid> pendingRequests(Jid owner) {
        return store.pendingRequests(owner);
    }

    public List<Jid> subscribers(Jid owner) {
        return store.subscribers(owner);
    }

    public List<Jid> subscriptions(Jid owner) {
        return store.subscriptions(owner);
    }

    public boolean listedItem(Jid owner, Jid contact) {
        return store.item(owner, contact).map(RosterItem::listed).orElse(false);
    }

    public SubscriptionState state(Jid owner, Jid contact) {
        return store.item(owner.toBare(), contact.toBare()).map(RosterItem::state).orElse(SubscriptionState.NONE);
    }

    private Step apply(Jid owner, Jid contact, SubscriptionType type, boolean outbound, long order) {
        RosterItem before = store.item(owner, contact).orElse(RosterItem.unlisted(contact));
        SubscriptionState.Change change = outbound ? before.state().outbound(type) : before.state().inbound(type);
        RosterItem after = before.withState(change.after());
        // the user's own subscribe or approval (or pre-approval) puts the contact in the roster (RFC 6121 §3.1.2, §3.1.5, §3.4)
        if (outbound && change.changed(before.state()) && (type == SubscriptionType.SUBSCRIBE || type == SubscriptionType.SUBSCRIBED)) {
            after = after.added();
        }
        if (!after.equals(before)) {
            store.save(owner, after);
        }
        return new Step(before, after, change, order);
    }

    private static void requireContact(Jid owner, Jid contact) {
        if (!contact.isBare()) {
            throw new DomainException(Condition.BAD_REQUEST, "a roster holds bare addresses, not " + contact);
        }
        if (contact.equals(owner.toBare())) {
            throw new DomainException(Condition.BAD_REQUEST, "your own address is not a contact");
        }
    }
}
