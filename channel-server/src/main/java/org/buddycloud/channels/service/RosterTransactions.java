package org.buddycloud.channels.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.buddycloud.channels.roster.Blocking;
import org.buddycloud.channels.roster.RosterItem;
import org.buddycloud.channels.roster.Rosters;
import org.buddycloud.channels.roster.SubscriptionState;
import org.buddycloud.channels.roster.SubscriptionType;
import org.buddycloud.contracts.jid.Jid;

/** Runs each roster and blocklist use case in one database transaction (a subscription exchange holds its pair lock throughout). */
@ApplicationScoped
public class RosterTransactions {

    private final Rosters rosters;
    private final Blocking blocking;

    RosterTransactions(Rosters rosters, Blocking blocking) {
        this.rosters = rosters;
        this.blocking = blocking;
    }

    public List<RosterItem> roster(Jid owner) {
        return rosters.roster(owner.toBare());
    }

    @Transactional
    public Rosters.Changed update(Jid owner, Jid contact, String name, List<String> groups) {
        return rosters.update(owner.toBare(), contact, name, groups);
    }

    @Transactional
    public Optional<Rosters.Changed> remove(Jid owner, Jid contact) {
        return rosters.remove(owner.toBare(), contact);
    }

    @Transactional
    public Rosters.Exchange subscription(Jid from, Jid to, SubscriptionType type, boolean senderLocal, boolean recipientLocal) {
        return rosters.subscription(from, to, type, senderLocal, recipientLocal);
    }

    /** Whether the contact is in the owner's roster (what XEP-0313's {@code roster} archiving mode means). */
    public boolean inRoster(Jid owner, Jid contact) {
        return rosters.listedItem(owner.toBare(), contact.toBare());
    }

    public SubscriptionState state(Jid owner, Jid contact) {
        return rosters.state(owner, contact);
    }

    public List<Jid> pendingRequests(Jid owner) {
        return rosters.pendingRequests(owner.toBare());
    }

    public List<Jid> subscribers(Jid owner) {
        return rosters.subscribers(owner.toBare());
    }

    public List<Jid> subscriptions(Jid owner) {
        return rosters.subscriptions(owner.toBare());
    }

    public List<Jid> blocked(Jid owner) {
        return blocking.blocked(owner);
    }

    @Transactional
    public List<Jid> block(Jid owner, List<Jid> addresses) {
        return blocking.block(owner, addresses);
    }

    @Transactional
    public List<Jid> unblock(Jid owner, List<Jid> addresses) {
        return blocking.unblock(owner, addresses);
    }

    public boolean blocks(Jid owner, Jid address) {
        return blocking.blocks(owner, address);
    }

    public java.util.Set<Jid> silencedAmong(Jid user, java.util.Collection<Jid> contacts) {
        return blocking.silencedAmong(user, contacts);
    }

    public boolean eitherBlocks(Jid one, Jid other) {
        return blocking.eitherBlocks(one, other);
    }
}
