package org.buddycloud.channels.federation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.InboxService;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.Slice;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.s2s.S2sConfig;
import org.buddycloud.channels.xmpp.s2s.S2sLinks;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Another domain's channels for the REST API of the home server: the same requests an XMPP client of ours makes, sent
 * on by {@link HomeRequests} with the caller as actor, and answered in the REST API's terms (a refusal as the
 * {@link DomainException} of its condition). Reads of a node we keep a copy of are the copy's business, not this.
 */
@ApplicationScoped
public class RemoteChannels {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RemoteChannels.class);

    /** What a post sent on became: its id, and whether it waits in the queue for a server that is away. */
    public record Published(String id, boolean queued) {
    }

    private final HomeRequests home;
    private final InboxService inbox;
    private final S2sLinks links;
    private final S2sConfig config;
    private final XmppAddresses addresses;
    private final AtomEntries atom;

    RemoteChannels(HomeRequests home, InboxService inbox, S2sLinks links, S2sConfig config, XmppAddresses addresses, AtomEntries atom) {
        this.home = home;
        this.inbox = inbox;
        this.links = links;
        this.config = config;
        this.addresses = addresses;
        this.atom = atom;
    }

    /** Whether requests about the node go to another domain's server (federation on, a node of another domain). */
    public boolean isRemote(NodeName node) {
        return links.enabled() && inbox.isRemote(node);
    }

    /** Whether a read of the node is answered from our copy of it. */
    public boolean hasCopy(NodeName node) {
        return inbox.hasCopy(node);
    }

    /** Publishes {@code entry} (an Atom entry, ours or the caller's, checked) as {@code user}, with the item id if given. */
    public Published publish(Jid user, NodeName node, String itemId, String entry) {
        XmlElement pubsub = XmlElement.of("pubsub", Namespaces.PUBSUB);
        XmlElement item = pubsub.add("publish").attr("node", node.toString()).add("item");
        if (itemId != null) {
            item.attr("id", itemId);
        }
        item.appendTrusted(entry);
        XmlElement answer = ask(user, "set", pubsub, node);
        Optional<XmlElement> result = answer.element("pubsub", Namespaces.PUBSUB);
        String id = result.flatMap(p -> p.element("publish", Namespaces.PUBSUB)).flatMap(p -> p.element("item", Namespaces.PUBSUB))
                .map(i -> i.attr("id")).orElse(itemId);
        return new Published(id, result.flatMap(p -> p.element("queued", Namespaces.BUDDYCLOUD)).isPresent());
    }

    /** Retracts an item as {@code user}; true when it waits in the queue. */
    public boolean retract(Jid user, NodeName node, String itemId) {
        XmlElement pubsub = XmlElement.of("pubsub", Namespaces.PUBSUB);
        pubsub.add("retract").attr("node", node.toString()).add("item").attr("id", itemId);
        return ask(user, "set", pubsub, node).element("pubsub", Namespaces.PUBSUB)
                .flatMap(p -> p.element("queued", Namespaces.BUDDYCLOUD)).isPresent();
    }

    /** Follows ({@code follow}) or stops following the node as {@code user}; the subscription the remote answered. */
    public Subscription follow(Jid user, NodeName node, boolean follow) {
        return subscription(answer(node, request(user, "set", following(user, node, follow), node)), follow);
    }

    /**
     * The same without waiting: the subscription the remote answered, or the refusal (a {@link DomainException}) or
     * failure it came to. Our copy follows the answer as it does for a user's own request.
     */
    public CompletableFuture<Subscription> followLater(Jid user, NodeName node, boolean follow) {
        return request(user, "set", following(user, node, follow), node).thenApply(reply -> {
            if ("error".equals(reply.attr("type"))) {
                throw Stanzas.refusal(reply);
            }
            return subscription(reply, follow);
        });
    }

    private static XmlElement following(Jid user, NodeName node, boolean follow) {
        XmlElement pubsub = XmlElement.of("pubsub", Namespaces.PUBSUB);
        pubsub.add(follow ? "subscribe" : "unsubscribe").attr("node", node.toString()).attr("jid", user.toBare());
        return pubsub;
    }

    private static Subscription subscription(XmlElement answer, boolean follow) {
        return answer.element("pubsub", Namespaces.PUBSUB).flatMap(p -> p.element("subscription", Namespaces.PUBSUB))
                .map(s -> s.attr("subscription")).map(Subscription::fromWire).orElse(follow ? Subscription.SUBSCRIBED : Subscription.NONE);
    }

    /** A page of the node's posts (newest first) read at its own server as {@code user} (or nobody: anonymous is refused there). */
    public Slice<Post> items(Jid user, NodeName node, int max, String after, String before) {
        XmlElement pubsub = XmlElement.of("pubsub", Namespaces.PUBSUB);
        pubsub.add("items").attr("node", node.toString());
        XmlElement set = pubsub.add("set", Namespaces.RSM);
        set.addText("max", Integer.toString(max));
        if (after != null) {
            set.addText("after", after);
        }
        if (before != null) {
            set.addText("before", before);
        }
        XmlElement result = ask(user, "get", pubsub, node).element("pubsub", Namespaces.PUBSUB)
                .orElse(XmlElement.of("pubsub", Namespaces.PUBSUB));
        List<Post> posts = new ArrayList<>();
        result.element("items", Namespaces.PUBSUB).ifPresent(items -> items.elements("item", Namespaces.PUBSUB).forEach(item ->
                item.element("entry", AtomEntries.ATOM).ifPresent(entry -> {
                    try {
                        AtomEntries.RemoteEntry e = atom.parseRemote(entry.toXml());
                        posts.add(inbox.remotePost(node, item.attr("id"), e.draft(), e.author(), e.published(), e.updated()));
                    } catch (DomainException invalid) {
                        // one entry we would not keep is left out of the page, not the page
                        LOG.debugf("item %s of %s left out: %s", item.attr("id"), node, invalid.getMessage());
                    }
                })));
        Optional<XmlElement> rsm = result.element("set", Namespaces.RSM);
        long count = rsm.flatMap(s -> s.childText("count", Namespaces.RSM)).flatMap(RemoteChannels::number).orElse((long) posts.size());
        return new Slice<>(posts, rsm.flatMap(s -> s.childText("first", Namespaces.RSM)).orElse(null),
                rsm.flatMap(s -> s.childText("last", Namespaces.RSM)).orElse(null), count);
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sends the request and waits for the answer; a refusal is thrown as the condition it named. */
    private XmlElement ask(Jid user, String type, XmlElement pubsub, NodeName node) {
        return answer(node, request(user, type, pubsub, node));
    }

    /** Sends the request on for {@code user}; the answer as it came (a result, or an error stanza). */
    private CompletableFuture<XmlElement> request(Jid user, String type, XmlElement pubsub, NodeName node) {
        if (user == null) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "log in to reach the channels of " + node.channel().domain());
        }
        XmlElement iq = XmlElement.of("iq", Namespaces.CLIENT).attr("type", type).attr("id", "rest-" + UUID.randomUUID())
                .attr("from", user).attr("to", addresses.channelService()).append(pubsub);
        CompletableFuture<XmlElement> answer = new CompletableFuture<>();
        home.forward(iq, pubsub, node, user, answer::complete);
        return answer;
    }

    /** Waits for the answer; a refusal is thrown as the condition it named. */
    private XmlElement answer(NodeName node, CompletableFuture<XmlElement> answer) {
        XmlElement reply;
        try {
            reply = answer.get(config.requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DomainException(Condition.SERVICE_UNAVAILABLE, node.channel().domain() + " did not answer in time");
        } catch (ExecutionException e) {
            throw new DomainException(Condition.SERVICE_UNAVAILABLE, "cannot reach " + node.channel().domain() + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException(Condition.SERVICE_UNAVAILABLE, "interrupted");
        }
        if ("error".equals(reply.attr("type"))) {
            throw Stanzas.refusal(reply);
        }
        return reply;
    }
}
