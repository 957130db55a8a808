package org.buddycloud.channels.federation;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.InboxService;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.service.InboxTransactions;
import org.buddycloud.channels.service.InboxTransactions.RemoteItem;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.stream.XmppServer;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.SerialExecutor;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jboss.logging.Logger;

/**
 * Keeps the inbox's copies up to date: applies the notifications other domains' channel servers send about their
 * nodes (only the node's own server is believed), fills a copy from its origin when a local user may read it, and
 * reconciles every copy of a domain whose server says we missed something. Notifications of one stream are applied in
 * the order they came.
 */
@ApplicationScoped
public class InboxUpdates {

    private static final Logger LOG = Logger.getLogger(InboxUpdates.class);
    static final int PAGE = 100;
    /** Most pages one fill reads: a first follow copies the newest 10,000 posts, not a history without end. */
    static final int MAX_PAGES = 100;

    private final InboxTransactions changes;
    private final InboxService inbox;
    private final ChannelServerDiscovery discovery;
    private final RemoteIqs iqs;
    private final AtomEntries atom;
    private final XmppAddresses addresses;
    private final XmppServer server;
    private final Clock clock;
    private final FollowersMove followers;
    /** Per sender (a few: the channel servers of the domains our users follow), the order its notifications are applied in. */
    private final java.util.Map<String, SerialExecutor> senders = new java.util.concurrent.ConcurrentHashMap<>();

    InboxUpdates(InboxTransactions changes, InboxService inbox, ChannelServerDiscovery discovery, RemoteIqs iqs, AtomEntries atom,
                 XmppAddresses addresses, XmppServer server, Clock clock, FollowersMove followers) {
        this.followers = followers;
        this.changes = changes;
        this.inbox = inbox;
        this.discovery = discovery;
        this.iqs = iqs;
        this.atom = atom;
        this.addresses = addresses;
        this.server = server;
        this.clock = clock;
    }

    /** The domain whose channel server is authoritative for a node: its channel's, without {@code topics.}. */
    static String homeDomain(NodeName node) {
        String domain = node.channel().domain();
        return domain.startsWith("topics.") ? domain.substring("topics.".length()) : domain;
    }

    /** A message from another domain's channel service: notifications about its nodes, or word that we missed some. */
    public void fromRemote(XmlElement message, Jid from) {
        if (message.element("you-missed-something", Namespaces.BUDDYCLOUD).isPresent()) {
            reconcileAll(from);
            return;
        }
        message.element("event", Namespaces.PUBSUB_EVENT).ifPresent(event -> event.elements().forEach(change -> {
            NodeName node;
            try {
                node = NodeName.parse(change.attr("node"));
            } catch (RuntimeException e) {
                LOG.debugf("ignored a notification without a valid node from %s", from);
                return;
            }
            if (!inbox.isRemote(node)) {
                LOG.warnf("%s sent a notification about our node %s: ignored (only we change it)", from, node);
                return;
            }
            CompletableFuture<Boolean> authoritative = discovery.isChannelServiceOf(homeDomain(node), from.toString());
            // one sender's notifications are applied one after the other, in the order they came, even while the
            // first of them wait to learn whether the sender speaks for the node (a membership change overtaking an
            // earlier one would leave the copy with the older standing)
            inOrder(from).execute(() -> applyIf(authoritative.join(), node, change, from));
        }));
    }

    /** The queue of one sender's notifications. */
    private SerialExecutor inOrder(Jid sender) {
        if (senders.size() > 1_000) {
            // a proved server may speak for many names of its own: idle queues are forgotten rather than kept for each
            senders.values().removeIf(queue -> queue.backlog() == 0);
        }
        return senders.computeIfAbsent(sender.toString(), name -> new SerialExecutor(server.pool()));
    }

    private void applyIf(boolean authoritative, NodeName node, XmlElement change, Jid from) {
        if (!authoritative) {
            LOG.warnf("%s is not the channel server of %s: its notification about %s is ignored", from, homeDomain(node), node);
            return;
        }
        try {
            apply(node, change, from.toString());
        } catch (DomainException | IllegalArgumentException e) {
            LOG.warnf("a notification about %s from %s was refused: %s", node, from, e.getMessage());
        }
    }

    private void apply(NodeName node, XmlElement change, String service) {
        LOG.debugf("%s: %s", service, change);
        switch (change.name()) {
            case "items" -> {
                List<RemoteItem> posts = items(node, change.elements("item", Namespaces.PUBSUB_EVENT));
                if (!posts.isEmpty()) {
                    changes.posts(node, posts);
                }
                change.elements("retract", Namespaces.PUBSUB_EVENT).forEach(r -> changes.retract(node, r.attr("id")));
            }
            case "subscription" -> {
                Jid member = jid(change.attr("jid"));
                String state = change.attr("subscription");
                if (member != null && state != null && changes.subscription(node, member.toBare(), Subscription.fromWire(state))) {
                    fill(node, service, member.toBare());
                }
            }
            case "affiliations" -> change.elements("affiliation", Namespaces.PUBSUB_EVENT).forEach(a -> {
                Jid member = jid(a.attr("jid"));
                if (member != null && a.attr("affiliation") != null) {
                    changes.affiliation(node, member.toBare(), Affiliation.fromWire(a.attr("affiliation")));
                }
            });
            case "configuration" -> changes.configure(node, RemoteNodeConfig.parse(node, DataForm.values(change), clock.instant()));
            case "delete" -> {
                Optional<NodeName> movedTo = change.element("redirect", Namespaces.PUBSUB_EVENT).flatMap(r -> redirect(r.attr("uri")))
                        .filter(to -> node.is(NodeName.POSTS) && to.is(NodeName.POSTS) && !to.equals(node));
                if (movedTo.isPresent()) {
                    // the node's own server says where it went: our users who followed it go along
                    followers.move(node, movedTo.get(), changes.moved(node, movedTo.get()));
                } else {
                    changes.deleted(node);
                }
            }
            default -> LOG.debugf("ignored <%s/> about %s", change.name(), node);
        }
    }

    /** The items with a valid entry; one that is not (an invalid Atom entry) is left out and logged. */
    private List<RemoteItem> items(NodeName node, List<XmlElement> items) {
        List<RemoteItem> valid = new ArrayList<>();
        for (XmlElement item : items) {
            Optional<XmlElement> entry = item.element("entry", AtomEntries.ATOM);
            if (entry.isEmpty() || item.attr("id") == null) {
                continue;
            }
            try {
                valid.add(new RemoteItem(item.attr("id"), atom.parseRemote(entry.get().toXml())));
            } catch (DomainException e) {
                LOG.warnf("item %s of %s is not a valid entry, not kept: %s", item.attr("id"), node, e.getMessage());
            }
        }
        return valid;
    }

    /**
     * Brings the copy up to date from its origin: the standing of each local member first (bans and approvals made
     * while we did not hear), then, read as a local user who may ({@code follower} if he still may), the configuration
     * and the items newest first, page by page, until a page holds nothing newer than what the copy had.
     */
    public CompletableFuture<Void> fill(NodeName node, String service, Jid follower) {
        Instant known = inbox.newest(node).orElse(Instant.EPOCH);
        return members(node, service).thenComposeAsync(standings -> {
            List<Jid> readers = inbox.localSubscribers(node);
            if (readers.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            Jid reader = readers.contains(follower.toBare()) ? follower.toBare() : readers.get(0);
            XmlElement info = request("get", service);
            info.add("query", Namespaces.DISCO_INFO).attr("node", node.toString()).append(actor(reader));
            return iqs.ask(info).thenAcceptAsync(answer -> answer.payload().filter(q -> q.is("query", Namespaces.DISCO_INFO))
                    .ifPresent(query -> {
                        var form = DataForm.values(query);
                        if (!form.isEmpty()) {
                            changes.configure(node, RemoteNodeConfig.parse(node, form, clock.instant()));
                        }
                    }), server.pool())
                    .thenCompose(configured -> walk(node, service, reader, null, known, 1));
        }, server.pool()).exceptionally(failure -> {
            LOG.warnf("could not fill the copy of %s from %s: %s", node, service, failure.getMessage());
            return null;
        });
    }

    /** Each local member's subscription and affiliation as the origin has them now, asked as that member. */
    private CompletableFuture<Void> members(NodeName node, String service) {
        List<CompletableFuture<Void>> asked = new ArrayList<>();
        for (Jid member : inbox.localFollowers(node)) {
            XmlElement subscriptions = request("get", service);
            subscriptions.add("pubsub", Namespaces.PUBSUB).append(XmlElement.of("subscriptions", Namespaces.PUBSUB)).append(actor(member));
            XmlElement affiliations = request("get", service);
            affiliations.add("pubsub", Namespaces.PUBSUB).append(XmlElement.of("affiliations", Namespaces.PUBSUB)).append(actor(member));
            asked.add(iqs.ask(affiliations).thenCombine(iqs.ask(subscriptions), (affiliation, subscription) -> {
                if (affiliation.ok() && subscription.ok()) {
                    String wanted = node.toString();
                    Affiliation a = listed(affiliation, "affiliation", wanted).map(Affiliation::fromWire).orElse(Affiliation.NONE);
                    Subscription s = listed(subscription, "subscription", wanted).map(Subscription::fromWire).orElse(Subscription.NONE);
                    return new Standing(a, s);
                }
                return null;
            }).thenAcceptAsync(standing -> {
                if (standing != null) {
                    changes.affiliation(node, member, standing.affiliation());
                    changes.subscription(node, member, standing.subscription());
                }
            }, server.pool()));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new));
    }

    private record Standing(Affiliation affiliation, Subscription subscription) {
    }

    /** The value of {@code attribute} in the answer's list entry for {@code node}, if the list has one. */
    private static Optional<String> listed(RemoteIqs.Answer answer, String attribute, String node) {
        return answer.payload().flatMap(p -> p.firstElement()).stream().flatMap(list -> list.elements().stream())
                .filter(entry -> node.equals(entry.attr("node"))).map(entry -> entry.attr(attribute)).filter(java.util.Objects::nonNull)
                .findFirst();
    }

    private CompletableFuture<Void> walk(NodeName node, String service, Jid follower, String after, Instant known, int pageNumber) {
        XmlElement iq = request("get", service);
        XmlElement pubsub = iq.add("pubsub", Namespaces.PUBSUB);
        pubsub.add("items").attr("node", node.toString());
        XmlElement set = pubsub.add("set", Namespaces.RSM);
        set.addText("max", Integer.toString(PAGE));
        if (after != null) {
            set.addText("after", after);
        }
        pubsub.append(actor(follower));
        return iqs.ask(iq).thenComposeAsync(answer -> {
            if (!answer.ok()) {
                LOG.infof("%s did not give the items of %s: %s", service, node, answer.stanza().toXml());
                return CompletableFuture.completedFuture(null);
            }
            XmlElement result = answer.payload().orElse(XmlElement.of("pubsub", Namespaces.PUBSUB));
            List<XmlElement> page = result.element("items", Namespaces.PUBSUB).map(i -> i.elements("item", Namespaces.PUBSUB)).orElse(List.of());
            List<RemoteItem> posts = items(node, page);
            if (!posts.isEmpty()) {
                changes.posts(node, posts);
            }
            boolean older = !posts.isEmpty() && posts.stream().allMatch(p -> !p.entry().updated().isAfter(known));
            String last = result.element("set", Namespaces.RSM).flatMap(s -> s.childText("last", Namespaces.RSM)).orElse(null);
            // a server whose pages do not move on (the same last again) is not followed round in circles
            if (page.size() < PAGE || older || last == null || last.equals(after) || pageNumber >= MAX_PAGES) {
                return CompletableFuture.completedFuture(null);
            }
            return walk(node, service, follower, last, known, pageNumber + 1);
        }, server.pool());
    }

    /**
     * Every copy of the domain {@code service} is the channel server of (its own domain or a parent's, as
     * {@code channels.capulet.lit} is capulet.lit's), filled again: after an outage it could not tell us about.
     */
    void reconcileAll(Jid service) {
        String domain = service.domain();
        for (String candidate = domain; candidate.indexOf('.') > 0; candidate = candidate.substring(candidate.indexOf('.') + 1)) {
            String home = candidate;
            if (inbox.copiesOf(home).isEmpty()) {
                continue;
            }
            discovery.isChannelServiceOf(home, service.toString()).thenAcceptAsync(yes -> {
                if (!yes) {
                    LOG.warnf("%s said we missed something, but it is not the channel server of %s", service, home);
                    return;
                }
                for (NodeName node : inbox.copiesOf(home)) {
                    inbox.localFollowers(node).stream().findFirst().ifPresent(follower -> fill(node, service.toString(), follower));
                }
            }, server.pool());
        }
    }

    private XmlElement request(String type, String to) {
        return XmlElement.of("iq", Namespaces.CLIENT).attr("type", type).attr("from", addresses.channelService()).attr("to", to);
    }

    static XmlElement actor(Jid user) {
        return XmlElement.of("actor", Namespaces.BUDDYCLOUD).text(user.toBare().toString());
    }

    /** The node of an XEP-0060 redirect, {@code xmpp:service?;node=name}; empty when it names none we understand. */
    static Optional<NodeName> redirect(String uri) {
        int at = uri == null || !uri.startsWith("xmpp:") ? -1 : uri.indexOf(";node=");
        if (at < 0) {
            return Optional.empty();
        }
        String value = uri.substring(at + ";node=".length());
        int end = value.indexOf(';');
        try {
            // an XMPP URI's query is percent-encoded (RFC 5122); a plus is a plus there, not a space
            String node = java.net.URLDecoder.decode((end < 0 ? value : value.substring(0, end)).replace("+", "%2B"),
                    java.nio.charset.StandardCharsets.UTF_8);
            return Optional.of(NodeName.parse(node));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Jid jid(String text) {
        try {
            return text == null ? null : Jid.parse(text);
        } catch (InvalidJidException e) {
            return null;
        }
    }
}
