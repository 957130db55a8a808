package org.buddycloud.channels.xmpp.routing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.buddycloud.channels.roster.SubscriptionType;
import org.buddycloud.channels.service.RosterTransactions;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.accept.ComponentRouter;
import org.buddycloud.channels.xmpp.accept.ConnectedComponents;
import org.buddycloud.channels.xmpp.im.Presences;
import org.buddycloud.channels.xmpp.pubsub.ChannelServiceEndpoint;
import org.buddycloud.channels.xmpp.s2s.S2sLinks;
import org.buddycloud.channels.xmpp.s2s.ServerRouter;
import org.buddycloud.channels.xmpp.server.ChatMessages;
import org.buddycloud.channels.xmpp.server.ServerRequests;
import org.buddycloud.channels.xmpp.server.UserDelivery;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.StanzaRouter;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Where a stanza goes, by its {@code to}: the server, the channel service, another local user, an
 * external component of ours (XEP-0114). A client's address is the session's full JID whatever the
 * client wrote; a component's has been checked to be at its domain. Presence goes through the
 * rosters (RFC 6121), and blocklists (XEP-0191) stop stanzas both ways. Stanzas for other domains go over
 * server-to-server streams when federation is on; theirs come in through {@link #routeFromServer}.
 */
@ApplicationScoped
public class Router implements StanzaRouter, ComponentRouter, ServerRouter {

    private final XmppAddresses addresses;
    private final ServerIqs server;
    private final ChannelServiceEndpoint channels;
    private final UserDelivery users;
    private final ConnectedComponents components;
    private final Presences presences;
    private final RosterTransactions rosters;
    private final AccountIqs accountIqs;
    private final ServerRequests serverRequests;
    private final ChatMessages chat;
    private final S2sLinks remote;

    Router(XmppAddresses addresses, ServerIqs server, ChannelServiceEndpoint channels, UserDelivery users,
           ConnectedComponents components, Presences presences, RosterTransactions rosters, AccountIqs accountIqs,
           ServerRequests serverRequests, ChatMessages chat, S2sLinks remote) {
        this.remote = remote;
        this.accountIqs = accountIqs;
        this.serverRequests = serverRequests;
        this.chat = chat;
        this.presences = presences;
        this.rosters = rosters;
        this.addresses = addresses;
        this.server = server;
        this.channels = channels;
        this.users = users;
        this.components = components;
    }

    @Override
    public void route(ClientSession from, XmlElement stanza) {
        stanza.attr("from", from.fullJid().toString());
        Optional<Jid> to = recipient(from, stanza);
        if (to == null) {
            return;
        }
        try {
            if (to.isEmpty() || addresses.isServer(to.get())) {
                toServer(from, stanza);
            } else if (blockedBySender(from, to.get(), stanza)) {
                from.send(blockedError(stanza));
            } else if (stanza.name().equals("presence")) {
                presenceFromClient(from, to.get(), stanza);
            } else if (stanza.name().equals("iq") && to.get().equals(from.fullJid().toBare())) {
                // to her own account: the server answers on its behalf (RFC 6121 §10.3.3)
                XmlElement reply = accountIqs.handleOwn(from, stanza);
                if (reply != null) {
                    from.send(reply);
                }
            } else if (stanza.name().equals("message") && addresses.isLocalUser(to.get())) {
                if (!blockedByRecipient(from, to.get(), stanza)) {
                    chat.send(from, to.get(), stanza);
                }
            } else {
                deliver(from, to.get(), stanza);
            }
        } catch (RuntimeException e) {
            failed(from, stanza, e);
        }
    }

    /** Presence to someone: a subscription change (RFC 6121 §3), or directed presence (§4.6); probes are the server's own. */
    private void presenceFromClient(ClientSession from, Jid to, XmlElement stanza) {
        String type = stanza.attr("type");
        Optional<SubscriptionType> subscription = SubscriptionType.of(type);
        if (subscription.isPresent()) {
            if (presences.subscriptionFromUser(from.fullJid().toBare(), to, subscription.get())) {
                // a recipient whose roster is not kept here (a component) gets it from the bare JID (RFC 6121 §3.1.2)
                deliver(from, to.toBare(), stanza.attr("from", from.fullJid().toBare()).attr("to", to.toBare()));
            }
            return;
        }
        if ("probe".equals(type)) {
            return;
        }
        presences.directed(from, to, stanza);
        deliver(from, to, stanza);
    }

    /**
     * XEP-0191 §3.3: nothing goes from a user to an address she blocks. The channel service is not
     * looked up: blocking is between people, and every pubsub request would pay for the lookup.
     */
    private boolean blockedBySender(ClientSession from, Jid to, XmlElement stanza) {
        String type = stanza.attr("type");
        return !"error".equals(type) && !"result".equals(type) && !addresses.isChannelService(to)
                && rosters.blocks(from.fullJid().toBare(), to);
    }

    private static XmlElement blockedError(XmlElement stanza) {
        XmlElement reply = Stanzas.error(stanza, "cancel", "not-acceptable", "you block this address; unblock it first", null);
        reply.element("error", stanza.namespace()).ifPresent(error -> error.add("blocked", Namespaces.BLOCKING_ERRORS));
        return reply;
    }

    private static boolean isRequest(XmlElement stanza) {
        return "get".equals(stanza.attr("type")) || "set".equals(stanza.attr("type"));
    }

    /** XEP-0191 §3.4: what a blocked sender sends is dropped, but a request gets the answer any absent user's would. */
    private boolean blockedByRecipient(StanzaSink from, Jid to, XmlElement stanza) {
        Optional<Jid> sender = Optional.ofNullable(stanza.attr("from")).map(Jid::parse);
        if (sender.isEmpty() || !rosters.blocks(to.toBare(), sender.get())) {
            return false;
        }
        String type = stanza.attr("type");
        if (stanza.name().equals("iq") && ("get".equals(type) || "set".equals(type))) {
            from.send(Stanzas.error(stanza, "cancel", "service-unavailable", null, null));
        }
        return true;
    }

    @Override
    public void routeFromComponent(StanzaSink component, XmlElement stanza) {
        fromOutside(component, stanza);
    }

    /** A remote server's stanza: its {@code from} proved itself and its {@code to} is a name of ours (the stream checked). */
    @Override
    public void routeFromServer(StanzaSink server, XmlElement stanza) {
        fromOutside(server, stanza);
    }

    private void fromOutside(StanzaSink sender, XmlElement stanza) {
        Optional<Jid> to = recipient(sender, stanza);
        if (to == null) {
            return;
        }
        try {
            if (to.isEmpty() || addresses.isServer(to.get())) {
                XmlElement reply = "iq".equals(stanza.name()) ? server.handleForComponent(stanza) : null;
                if (reply != null) {
                    sender.send(reply);
                }
            } else {
                deliver(sender, to.get(), stanza);
            }
        } catch (RuntimeException e) {
            failed(sender, stanza, e);
        }
    }

    /** The stanza's {@code to}, empty when it has none; null when it is malformed (and the sender was told). */
    private static Optional<Jid> recipient(StanzaSink from, XmlElement stanza) {
        try {
            return Stanzas.jidAttribute(stanza, "to");
        } catch (DomainException e) {
            if (!"error".equals(stanza.attr("type"))) {
                from.send(Stanzas.error(stanza.attr("to", null), "modify", "jid-malformed", "the 'to' address is not a valid JID", null));
            }
            return null;
        }
    }

    private void deliver(StanzaSink from, Jid to, XmlElement stanza) {
        if (addresses.isChannelService(to)) {
            channels.handle(stanza, from);
        } else if (addresses.isLocalUser(to)) {
            if (blockedByRecipient(from, to, stanza)) {
                return;
            }
            if (stanza.name().equals("iq") && to.isBare() && isRequest(stanza) && stanza.attr("from") != null) {
                // the server answers for the account (RFC 6121 §8.5.1): its personal pubsub service, vCard, discovery
                from.send(accountIqs.handle(Jid.parse(stanza.attr("from")), to, stanza));
                return;
            }
            Optional<SubscriptionType> subscription = stanza.name().equals("presence")
                    ? SubscriptionType.of(stanza.attr("type")) : Optional.empty();
            if (subscription.isPresent()) {
                // from a component: the user's side of the subscription is ours to keep
                presences.fromOutside(Jid.parse(stanza.attr("from")), to, subscription.get(), from);
            } else {
                users.deliver(from, to, stanza);
            }
        } else if (components.serves(to)) {
            components.deliver(from, to, stanza);
        } else if (remote.enabled()) {
            remote.send(from, stanza);
        } else if (!"error".equals(stanza.attr("type"))) {
            from.send(Stanzas.error(stanza, "cancel", "remote-server-not-found", "federation with " + to.domain()
                    + " is not available", null));
        }
    }

    /** The handlers answer their own failures; this is for what slipped past them (a message, a presence). */
    private static void failed(StanzaSink from, XmlElement stanza, RuntimeException e) {
        String type = stanza.attr("type");
        if (!"error".equals(type) && !"result".equals(type)) {
            from.send(IqAnswers.failure(stanza, e));
        }
    }

    private void toServer(ClientSession from, XmlElement stanza) {
        switch (stanza.name()) {
            case "iq" -> {
                if (serverRequests.answered(stanza)) {
                    return;
                }
                XmlElement reply = server.handle(from, stanza);
                if (reply != null) {
                    from.send(reply);
                }
            }
            case "presence" -> {
                if (stanza.attr("to") == null) {
                    presences.broadcast(from, stanza);
                }
            }
            default -> {
                // messages to the server itself are not for anyone
            }
        }
    }
}
