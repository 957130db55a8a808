package org.buddycloud.channels.federation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.service.InboxTransactions;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.stream.XmppServer;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jboss.logging.Logger;

/**
 * A local user's pubsub request about another domain's node, sent on by the home server (PROTOCOL.md §1.13): to the
 * domain's channel server with the user as {@code <actor/>}, the answer relayed back under the user's id. A
 * subscription answered there makes or drops the inbox's copy. Posts and retractions are kept in the durable queue
 * when the remote cannot be reached now (the user hears {@code <queued/>} with the item's id, chosen here so that a
 * resend is the same item); everything else answers {@code remote-server-timeout} then.
 */
@ApplicationScoped
public class HomeRequests {

    private static final Logger LOG = Logger.getLogger(HomeRequests.class);

    private final ChannelServerDiscovery discovery;
    private final RemoteIqs iqs;
    private final InboxTransactions inbox;
    private final InboxUpdates updates;
    private final OutboundQueue queue;
    private final OutboundSender sender;
    private final XmppAddresses addresses;
    private final XmppServer server;

    HomeRequests(ChannelServerDiscovery discovery, RemoteIqs iqs, InboxTransactions inbox, InboxUpdates updates, OutboundQueue queue,
                 OutboundSender sender, XmppAddresses addresses, XmppServer server) {
        this.discovery = discovery;
        this.iqs = iqs;
        this.inbox = inbox;
        this.updates = updates;
        this.queue = queue;
        this.sender = sender;
        this.addresses = addresses;
        this.server = server;
    }

    /** Sends {@code iq} (whose {@code <pubsub/>} is {@code pubsub}, about {@code node}) on for {@code user}; the answer goes to {@code reply}. */
    public void forward(XmlElement iq, XmlElement pubsub, NodeName node, Jid user, StanzaSink reply) {
        String domain = InboxUpdates.homeDomain(node);
        XmlElement payload = withActor(pubsub, user);
        discovery.channelService(domain).whenCompleteAsync((service, failure) -> {
            if (failure != null) {
                reply.send(Stanzas.error(iq, "wait", "remote-server-timeout", "cannot reach " + domain + " now; try again later", null));
            } else if (service.isEmpty()) {
                reply.send(Stanzas.error(iq, "cancel", "remote-server-not-found", domain + " has no buddycloud channel server", null));
            } else {
                try {
                    send(iq, payload, node, service.get(), user, reply);
                } catch (RuntimeException e) {
                    LOG.warnf("a request of %s for %s failed here: %s", user, service.get(), e);
                    reply.send(Stanzas.error(iq, "wait", "internal-server-error", "the request could not be handled; try again", null));
                }
            }
        }, server.pool());
    }

    private void send(XmlElement iq, XmlElement payload, NodeName node, String service, Jid user, StanzaSink reply) {
        Optional<String> itemId = queueable(payload);
        if (itemId.isPresent() && queue.requestsWaiting(service)) {
            // behind the writes that wait already, in order: a retraction does not overtake its post
            reply.send(enqueue(iq, payload, node, service, user, itemId.get()));
            return;
        }
        XmlElement forwarded = XmlElement.of("iq", Namespaces.CLIENT).attr("type", iq.attr("type"))
                .attr("from", addresses.channelService()).attr("to", service).append(payload);
        iqs.ask(forwarded).thenAcceptAsync(answer -> {
            if (answer.unreachable() && itemId.isPresent()) {
                // our users' posts wait for the remote in the durable queue; the item's id was chosen here, so a
                // resend (the first one arrived after all, unanswered) is the same post again, which changes nothing
                reply.send(enqueue(iq, payload, node, service, user, itemId.get()));
                return;
            }
            if (answer.ok()) {
                // the copy first: a user told "subscribed" reads it at once
                followed(payload, answer.stanza(), node, service, user);
            }
            reply.send(relayed(iq, answer.stanza()));
        }, server.pool()).exceptionally(failure -> {
            LOG.warnf("a request of %s for %s failed here: %s", user, service, failure);
            reply.send(Stanzas.error(iq, "wait", "internal-server-error", "the request could not be handled; try again", null));
            return null;
        });
    }

    private XmlElement enqueue(XmlElement iq, XmlElement payload, NodeName node, String service, Jid user, String itemId) {
        XmlElement request = XmlElement.of("iq", Namespaces.CLIENT).attr("type", "set").attr("from", addresses.channelService())
                .attr("to", service).append(payload);
        queue.add(service, OutboundQueue.Kind.REQUEST, "request:" + UUID.randomUUID(), request.toXml(), user.toString());
        sender.wake();
        return queued(iq, payload, node, itemId);
    }

    /** A subscribe or unsubscribe the remote accepted: the copy follows what it said. */
    private void followed(XmlElement payload, XmlElement answer, NodeName node, String service, Jid user) {
        Optional<XmlElement> request = payload.firstElement();
        if (request.isEmpty() || !Namespaces.PUBSUB.equals(payload.namespace())) {
            return;
        }
        Subscription state = null;
        if (request.get().name().equals("subscribe")) {
            state = answer.element("pubsub", Namespaces.PUBSUB).flatMap(p -> p.element("subscription", Namespaces.PUBSUB))
                    .map(s -> s.attr("subscription")).map(Subscription::fromWire).orElse(Subscription.SUBSCRIBED);
        } else if (request.get().name().equals("unsubscribe")) {
            state = Subscription.NONE;
        }
        if (state != null && inbox.requestedSubscription(node, user.toBare(), state)) {
            updates.fill(node, service, user.toBare());
        }
    }

    /** The request with the user as actor; a post without an item id gets one (a resend is then the same post). */
    private static XmlElement withActor(XmlElement pubsub, Jid user) {
        XmlElement copy = pubsub.inNamespace(pubsub.namespace(), pubsub.namespace());
        copy.element("publish", Namespaces.PUBSUB).flatMap(p -> p.element("item", Namespaces.PUBSUB))
                .filter(item -> item.attr("id") == null).ifPresent(item -> item.attr("id", UUID.randomUUID().toString()));
        return copy.append(InboxUpdates.actor(user));
    }

    /** The item id of a post or retraction (what may wait in the queue), empty for any other request. */
    private static Optional<String> queueable(XmlElement payload) {
        if (!Namespaces.PUBSUB.equals(payload.namespace())) {
            return Optional.empty();
        }
        return payload.element("publish", Namespaces.PUBSUB).or(() -> payload.element("retract", Namespaces.PUBSUB))
                .flatMap(p -> p.element("item", Namespaces.PUBSUB)).map(item -> item.attr("id"));
    }

    /** The result a queued post or retraction gets: as if done, with {@code <queued/>} saying it is not yet. */
    private static XmlElement queued(XmlElement iq, XmlElement payload, NodeName node, String itemId) {
        XmlElement result = Stanzas.result(iq);
        XmlElement out = result.add("pubsub", Namespaces.PUBSUB);
        if (payload.element("publish", Namespaces.PUBSUB).isPresent()) {
            out.add("publish").attr("node", node.toString()).add("item").attr("id", itemId);
        }
        out.add("queued", Namespaces.BUDDYCLOUD);
        return result;
    }

    /** The remote's answer as the user's: the user's id, from the address the user asked, its payload as it came. */
    private static XmlElement relayed(XmlElement iq, XmlElement answer) {
        XmlElement reply = XmlElement.of("iq", iq.namespace()).attr("type", answer.attr("type")).attr("id", iq.attr("id"))
                .attr("to", iq.attr("from")).attr("from", iq.attr("to"));
        answer.elements().forEach(child -> reply.append(child.inNamespace(child.namespace(), child.namespace())));
        return reply;
    }
}
