package org.buddycloud.channels.xmpp.im;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.roster.Rosters;
import org.buddycloud.channels.roster.SubscriptionType;
import org.buddycloud.channels.service.RosterTransactions;
import org.buddycloud.channels.profile.Vcards;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.pep.NotifyInterests;
import org.buddycloud.channels.xmpp.pep.PepNotifier;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.cluster.SessionDirectory;
import org.buddycloud.channels.xmpp.cluster.SessionsLost;
import org.buddycloud.channels.xmpp.server.UserDelivery;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.RemoteSession;
import org.buddycloud.channels.xmpp.stream.SessionEnded;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Presence between local users (RFC 6121 §3, §4): a resource's availability goes to the contacts
 * subscribed to it and to the user's other resources; a new resource learns who is online and which
 * requests wait for it; subscription stanzas change both stored rosters and go on only when they
 * change something; resources that end without a word are announced unavailable. Blocking
 * (XEP-0191) silences presence both ways. Users on other domains are reached once federation exists.
 */
@ApplicationScoped
public class Presences {

    private final SessionRegistry sessions;
    private final LivePresence live;
    private final RosterTransactions rosters;
    private final RosterPushes pushes;
    private final UserDelivery users;
    private final XmppAddresses addresses;
    private final AccountStore accounts;
    private final NotifyInterests interests;
    private final PepNotifier pep;
    private final Vcards vcards;
    private final SessionDirectory directory;

    Presences(SessionRegistry sessions, LivePresence live, RosterTransactions rosters, RosterPushes pushes, UserDelivery users,
              XmppAddresses addresses, AccountStore accounts, NotifyInterests interests, PepNotifier pep, Vcards vcards,
              SessionDirectory directory) {
        this.directory = directory;
        this.interests = interests;
        this.pep = pep;
        this.vcards = vcards;
        this.sessions = sessions;
        this.live = live;
        this.rosters = rosters;
        this.pushes = pushes;
        this.users = users;
        this.addresses = addresses;
        this.accounts = accounts;
    }

    /** Presence a client sent without a {@code to}: its own availability (RFC 6121 §4.2, §4.4, §4.5). */
    public void broadcast(ClientSession from, XmlElement presence) {
        String type = presence.attr("type");
        if (type == null) {
            boolean initial = !from.available();
            withPhotoHash(from.fullJid().toBare(), presence);
            live.available(from.fullJid(), presence);
            directory.available(from.fullJid(), presence);
            toSubscribersAndOwnResources(from.fullJid(), presence);
            if (initial) {
                tellNewResource(from);
            }
            users.becameAvailable(from);
            interests.presence(from, presence, nodes -> pep.lastItemsFor(from, nodes));
        } else if (type.equals("unavailable")) {
            wentAway(from, presence);
        }
        // probes and subscription types need a 'to'; errors without one are for nobody
    }

    /**
     * XEP-0153 for clients that don't say it themselves: the hash of the vCard photo goes with the
     * user's presence, so that older clients know which avatar to show and when to fetch a new one.
     */
    private void withPhotoHash(Jid user, XmlElement presence) {
        if (presence.element("x", Namespaces.VCARD_UPDATE).isEmpty()) {
            vcards.photoHash(user).ifPresent(hash -> presence.add("x", Namespaces.VCARD_UPDATE).addText("photo", hash));
        }
    }

    /** Presence a client sent to someone (RFC 6121 §4.6): noted, so that its unavailable presence reaches them too. */
    public void directed(ClientSession from, Jid to, XmlElement presence) {
        if ("unavailable".equals(presence.attr("type"))) {
            live.directedUnavailableTo(from.fullJid(), to);
        } else if (presence.attr("type") == null && addresses.isLocalUser(to)) {
            live.directedTo(from.fullJid(), to);
        }
    }

    /**
     * A subscription stanza a local user sent (RFC 6121 §3): both rosters change under one lock, pushes
     * go to the interested resources, and presence follows the new states. True when the stanza must
     * still be routed to a recipient this server does not keep rosters for (a component).
     */
    public boolean subscriptionFromUser(Jid user, Jid contact, SubscriptionType type) {
        boolean local = addresses.isLocalUser(contact);
        boolean nobody = local && accounts.find(contact.toBare()).isEmpty();
        Rosters.Exchange exchange = rosters.subscription(user, contact, type, true, local && !nobody);
        exchange.sender().ifPresent(step -> applied(user.toBare(), step));
        boolean passOn = exchange.sender().map(step -> step.change().passOn()).orElse(false);
        if (nobody) {
            // nobody there to ask: the request is refused at once (RFC 6121 §3.1.3)
            if (passOn && type == SubscriptionType.SUBSCRIBE) {
                fromOutside(contact.toBare(), user, SubscriptionType.UNSUBSCRIBED, null);
            }
            return false;
        }
        exchange.recipient().ifPresent(step -> {
            applied(contact.toBare(), step);
            if (step.change().passOn()) {
                users.deliver(StanzaSink.NOWHERE, contact.toBare(), PresenceCopies.subscription(type.wireName(), user.toBare(), contact.toBare()));
            }
            if (step.change().autoReplySubscribed()) {
                fromOutside(contact.toBare(), user.toBare(), SubscriptionType.SUBSCRIBED, null);
            }
        });
        return passOn && !local;
    }

    /**
     * A subscription stanza for a local user from someone whose roster is not kept here (or kept here
     * but already applied): only the recipient's side changes. {@code replyTo} gets the server's
     * automatic answer when there is one (a component's stream); null when the sender is local.
     */
    public void fromOutside(Jid from, Jid user, SubscriptionType type, StanzaSink replyTo) {
        boolean senderLocal = addresses.isLocalUser(from) && accounts.find(from.toBare()).isPresent();
        Rosters.Exchange exchange = rosters.subscription(from, user, type, false, true);
        exchange.recipient().ifPresent(step -> {
            applied(user.toBare(), step);
            if (step.change().passOn()) {
                users.deliver(StanzaSink.NOWHERE, user.toBare(), PresenceCopies.subscription(type.wireName(), from.toBare(), user.toBare()));
            }
            if (step.change().autoReplySubscribed()) {
                if (senderLocal) {
                    subscriptionFromUserSide(user.toBare(), from.toBare());
                } else if (replyTo != null) {
                    replyTo.send(PresenceCopies.subscription("subscribed", user.toBare(), from));
                }
            }
        });
    }

    /** The server answers "subscribed" for the user to a local contact: only the contact's side is still to change. */
    private void subscriptionFromUserSide(Jid user, Jid contact) {
        Rosters.Exchange exchange = rosters.subscription(user, contact, SubscriptionType.SUBSCRIBED, false, true);
        exchange.recipient().ifPresent(step -> {
            applied(contact, step);
            if (step.change().passOn()) {
                users.deliver(StanzaSink.NOWHERE, contact, PresenceCopies.subscription("subscribed", user, contact));
            }
        });
    }

    /**
     * After a change to {@code owner}'s item: the roster push, and presence that follows the new
     * state — a contact who may now see the owner gets the owner's presence, one who may no longer
     * gets unavailable (RFC 6121 §3.1.5, §3.2.2, §3.3.3).
     */
    private void applied(Jid owner, Rosters.Step step) {
        if (step.pushNeeded()) {
            pushes.changed(owner, step.after(), step.order());
        }
        boolean sawBefore = step.before().state().from();
        boolean seesNow = step.after().state().from();
        Jid contact = step.after().contact();
        if (!sawBefore && seesNow) {
            presenceOf(owner, contact);
        } else if (sawBefore && !seesNow) {
            for (ClientSession resource : availableResources(owner)) {
                users.deliver(StanzaSink.NOWHERE, contact, PresenceCopies.unavailable(resource.fullJid(), contact));
            }
        }
    }

    /** Sends the current presence of each of the owner's available resources to the contact. */
    public void presenceOf(Jid owner, Jid contact) {
        if (!addresses.isLocalUser(contact)) {
            return;
        }
        for (ClientSession resource : availableResources(owner)) {
            XmlElement current = current(resource);
            if (current != null) {
                users.deliver(StanzaSink.NOWHERE, contact, PresenceCopies.addressed(current, resource.fullJid(), contact));
            }
        }
    }

    /** Tells the contact that each of the owner's available resources is gone for it (blocking, RFC 6121 §3.2). */
    public void unavailableTo(Jid owner, Jid contact) {
        if (!addresses.isLocalUser(contact)) {
            return;
        }
        for (ClientSession resource : availableResources(owner)) {
            users.deliver(StanzaSink.NOWHERE, contact, PresenceCopies.unavailable(resource.fullJid(), contact));
        }
    }

    /** Tells the user's resources that the contact's resources are gone for them (the user blocked the contact). */
    public void unavailableFrom(Jid contact, Jid user) {
        if (!addresses.isLocalUser(contact)) {
            return;
        }
        for (ClientSession resource : availableResources(contact)) {
            users.deliver(StanzaSink.NOWHERE, user, PresenceCopies.unavailable(resource.fullJid(), user));
        }
    }

    /** A session ended (closed, dropped, replaced) while available, without saying goodbye. */
    void ended(@Observes SessionEnded ended) {
        ClientSession session = ended.session();
        if (session.available()) {
            wentAway(session, PresenceCopies.unavailable(session.fullJid(), null));
        }
        live.forget(session.fullJid());
    }

    private void wentAway(ClientSession from, XmlElement presence) {
        Set<Jid> directedTo = live.unavailable(from.fullJid());
        boolean wasAvailable = from.available();
        from.available(false);
        if (wasAvailable) {
            directory.unavailable(from.fullJid());
        }
        if (wasAvailable) {
            toSubscribersAndOwnResources(from.fullJid(), presence);
        }
        for (Jid target : directedTo) {
            users.deliver(StanzaSink.NOWHERE, target, PresenceCopies.addressed(presence, from.fullJid(), target));
        }
    }

    /**
     * To the contacts subscribed to the user and to her other resources, wherever they are connected: their sessions
     * on other replicas are asked for at once (one question for a roster, not one per contact). Presence is never kept
     * for later, so a contact with no available resource simply does not hear it.
     */
    private void toSubscribersAndOwnResources(Jid full, XmlElement presence) {
        Jid user = full.toBare();
        onlineAmong(user, rosters.subscribers(user)).forEach((contact, resources) -> {
            for (ClientSession resource : resources) {
                if (!contact.equals(user)) {
                    resource.send(PresenceCopies.addressed(presence, full, contact));
                } else if (!resource.fullJid().equals(full)) {
                    resource.send(PresenceCopies.addressed(presence, full, resource.fullJid()));
                }
            }
        });
    }

    /** A resource's first presence: its contacts' and other resources' presence, and the requests waiting for an answer. */
    private void tellNewResource(ClientSession session) {
        Jid user = session.fullJid().toBare();
        onlineAmong(user, rosters.subscriptions(user)).forEach((contact, resources) -> {
            for (ClientSession resource : resources) {
                XmlElement current = resource == session ? null : current(resource);
                if (current != null) {
                    session.send(PresenceCopies.addressed(current, resource.fullJid(), session.fullJid()));
                }
            }
        });
        for (Jid requester : rosters.pendingRequests(user)) {
            if (!rosters.blocks(user, requester)) {
                session.send(PresenceCopies.subscription("subscribe", requester, user));
            }
        }
    }

    /**
     * Available sessions of a replica that died: their contacts and the users' other resources hear that they went
     * (their directed presence died with the replica).
     */
    void lost(@Observes SessionsLost lost) {
        for (Jid full : lost.fullJids()) {
            toSubscribersAndOwnResources(full, PresenceCopies.unavailable(full, null));
        }
    }

    /** A resource's last available presence, wherever it is connected. */
    private XmlElement current(ClientSession resource) {
        return resource instanceof RemoteSession remote ? remote.presence() : live.presence(resource.fullJid());
    }

    private List<ClientSession> availableResources(Jid user) {
        return sessions.sessionsOf(user).stream().filter(ClientSession::available).toList();
    }

    /**
     * The available resources, on every replica and asked for at once (one question for a roster, not one per contact),
     * of the user herself and of those of her contacts served here that neither she nor they silenced (blocking).
     */
    private Map<Jid, List<ClientSession>> onlineAmong(Jid user, List<Jid> contacts) {
        List<Jid> local = contacts.stream().filter(addresses::isLocalUser).toList();
        Set<Jid> silenced = rosters.silencedAmong(user, local);
        List<Jid> asked = new ArrayList<>(local.stream().filter(contact -> !silenced.contains(contact)).toList());
        asked.add(user);
        return availableResources(asked);
    }

    /** The available resources of each of those users (bare JIDs) who has any. */
    private Map<Jid, List<ClientSession>> availableResources(List<Jid> users) {
        Map<Jid, List<ClientSession>> available = new HashMap<>();
        sessions.sessionsOf(users).forEach((user, resources) -> {
            List<ClientSession> on = resources.stream().filter(ClientSession::available).toList();
            if (!on.isEmpty()) {
                available.put(user, on);
            }
        });
        return available;
    }
}
