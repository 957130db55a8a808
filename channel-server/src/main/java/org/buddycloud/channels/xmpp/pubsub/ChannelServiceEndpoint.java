package org.buddycloud.channels.xmpp.pubsub;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.InboxService;
import org.buddycloud.channels.federation.ActorRequests;
import org.buddycloud.channels.federation.HomeRequests;
import org.buddycloud.channels.federation.InboxUpdates;
import org.buddycloud.channels.federation.RemoteIqs;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.MembershipStore;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Page;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.Slice;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.s2s.S2sLinks;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.jboss.logging.Logger;

/**
 * The channel service ({@code channels.<domain>}): what local clients and, in component mode,
 * the users of another XMPP server send to it. Presence marks delivery targets; IQs go to
 * discovery, XEP-0060, search and the catch-up query; messages answer authorization forms and
 * XEP-0070 confirmations. Every reply goes back through the sink the request came from.
 */
@ApplicationScoped
public class ChannelServiceEndpoint {

    private static final Logger LOG = Logger.getLogger(ChannelServiceEndpoint.class);

    private final XmppAddresses addresses;
    private final SessionRegistry registry;
    private final PubSubIqs pubsub;
    private final ChannelTransactions changes;
    private final ChannelQueries queries;
    private final PubSubXml xml;
    private final HttpConfirmations confirmations;
    private final Notifications notifications;
    private final S2sLinks remote;
    private final Federation federation;

    /** The inbox and the requests to and from other domains' channel servers. */
    record Federation(HomeRequests home, ActorRequests actors, InboxUpdates inbox, RemoteIqs iqs, InboxService copies) {
    }

    ChannelServiceEndpoint(XmppAddresses addresses, SessionRegistry registry, PubSubIqs pubsub, ChannelTransactions changes,
                           ChannelQueries queries, PubSubXml xml, HttpConfirmations confirmations, Notifications notifications, S2sLinks remote,
                           HomeRequests home, ActorRequests actors, InboxUpdates inbox, RemoteIqs iqs, InboxService copies) {
        this.remote = remote;
        this.federation = new Federation(home, actors, inbox, iqs, copies);
        this.addresses = addresses;
        this.registry = registry;
        this.pubsub = pubsub;
        this.changes = changes;
        this.queries = queries;
        this.xml = xml;
        this.confirmations = confirmations;
        this.notifications = notifications;
    }

    public void handle(XmlElement stanza, StanzaSink reply) {
        Optional<Jid> from;
        try {
            from = Stanzas.jidAttribute(stanza, "from");
        } catch (DomainException e) {
            return;
        }
        if (from.isEmpty()) {
            return;
        }
        switch (stanza.name()) {
            case "presence" -> presence(stanza, from.get(), reply);
            case "message" -> message(stanza, from.get());
            case "iq" -> {
                XmlElement answer = iq(stanza, from.get(), reply);
                if (answer != null) {
                    reply.send(answer);
                }
            }
            default -> LOG.debugf("ignored <%s/> to the channel service", stanza.name());
        }
    }

    /**
     * Available presence from a full JID makes it a delivery target of notifications (as the original
     * did), and an owner or moderator who comes online is asked again about the follow requests
     * waiting. Unavailable presence from a bare JID is a user's server answering our probe: the user
     * is offline.
     */
    private void presence(XmlElement presence, Jid from, StanzaSink reply) {
        if (remote.enabled() && !remote.hosts(from.domain())) {
            // a user of another domain is told at her bare JID by RemoteNotifications, on one replica, online or not
            return;
        }
        String type = presence.attr("type");
        if (from.isBare()) {
            if ("unavailable".equals(type)) {
                registry.dropChannelTargets(from, reply);
            }
            return;
        }
        if (type == null) {
            if (registry.channelPresence(from, reply, true)) {
                notifications.pendingRequests(from, reply);
            }
        } else if (type.equals("unavailable")) {
            registry.channelPresence(from, null, false);
        }
    }

    private void message(XmlElement message, Jid from) {
        if (remote.enabled() && from.localpart().isEmpty() && !remote.hosts(from.domain())) {
            // another domain's channel server: notifications for our inbox
            federation.inbox().fromRemote(message, from);
            return;
        }
        if (message.element("confirm", Namespaces.HTTP_AUTH).isPresent()) {
            confirmations.answer(message, from);
            return;
        }
        Map<String, List<String>> form = DataForm.values(message);
        if (DataForm.first(form, "FORM_TYPE").filter(t -> t.equals(Notifications.SUBSCRIBE_AUTHORIZATION)).isPresent()) {
            try {
                NodeName node = NodeName.parse(DataForm.first(form, "pubsub#node").orElse(null));
                Jid subscriber = Jid.parse(DataForm.first(form, "pubsub#subscriber_jid").orElse(""));
                boolean allow = DataForm.flag(form, "pubsub#allow").orElse(false);
                changes.setSubscription(Actor.of(from.toBare()), node, subscriber, allow ? Subscription.SUBSCRIBED : Subscription.NONE);
            } catch (DomainException | IllegalArgumentException e) {
                LOG.debugf("refused an authorization form from %s: %s", from, e.getMessage());
            }
        }
    }

    /** disco#items: the advertised nodes, paged with XEP-0059 (100 by default). */
    private XmlElement items(XmlElement iq, XmlElement query) {
        if (query.attr("node") != null) {
            return Stanzas.result(iq).append(XmlElement.of("query", Namespaces.DISCO_ITEMS).attr("node", query.attr("node")));
        }
        Slice<NodeName> nodes = queries.advertisedNodes(Rsm.page(query, null, 100));
        XmlElement out = XmlElement.of("query", Namespaces.DISCO_ITEMS);
        String service = addresses.channelService();
        nodes.items().forEach(node -> out.add("item").attr("jid", service).attr("node", node.toString()));
        return Stanzas.result(iq).append(out.append(Rsm.set(nodes)));
    }

    private XmlElement iq(XmlElement iq, Jid from, StanzaSink reply) {
        String type = iq.attr("type");
        if ("result".equals(type) || "error".equals(type)) {
            federation.iqs().answered(iq);
            return null;
        }
        if (!"get".equals(type) && !"set".equals(type)) {
            return null;
        }
        Actor actor = actorOf(from);
        return IqAnswers.answer(iq, () -> {
            XmlElement query = iq.firstElement()
                    .orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "an IQ request has one child element"));
            return switch (query.namespace()) {
                case Namespaces.PUBSUB, Namespaces.PUBSUB_OWNER -> pubsub(iq, query, from, reply);
                case Namespaces.DISCO_INFO -> discoInfo(iq, query, from, reply);
                case Namespaces.DISCO_ITEMS -> items(iq, query);
                case Namespaces.SEARCH -> search(iq, query, actor);
                case Namespaces.MAM_TMP -> catchUp(iq, query, actor, from, reply);
                case Namespaces.REGISTER -> register(iq, actor);
                case Namespaces.PING -> Stanzas.result(iq);
                default -> Stanzas.unsupported(iq);
            };
        });
    }

    /**
     * A pubsub request: about another domain's node from a user of ours, sent on through the home server; from another
     * domain's channel server for one of its users ({@code <actor/>}), answered for that user once the server is
     * believed; else answered here for the sender. Null when the answer comes later.
     */
    private XmlElement pubsub(XmlElement iq, XmlElement query, Jid from, StanzaSink reply) {
        java.util.function.Function<Actor, XmlElement> handler = actor -> Namespaces.PUBSUB.equals(query.namespace())
                ? pubsub.user(iq, query, actor) : pubsub.owner(iq, query, actor);
        if (remote.enabled()) {
            if (addresses.isLocalUser(from)) {
                Optional<NodeName> node = remoteNode(query);
                if (node.isPresent()) {
                    federation.home().forward(iq, query, node.get(), from, reply);
                    return null;
                }
            } else if (!remote.hosts(from.domain())) {
                if (ActorRequests.actorOf(query).isPresent()) {
                    return actorRequest(iq, query, from, reply, handler);
                }
                if (query.element("subscribe", Namespaces.PUBSUB).isPresent()) {
                    federation.actors().direct(iq, from, reply, handler);
                    return null;
                }
            }
        }
        return handler.apply(actorOf(from));
    }

    /** disco#info, sent on to the node's own server when it is another domain's, or asked by one for its user. */
    private XmlElement discoInfo(XmlElement iq, XmlElement query, Jid from, StanzaSink reply) {
        if (remote.enabled()) {
            if (addresses.isLocalUser(from) && query.attr("node") != null) {
                Optional<NodeName> node = remoteNode(XmlElement.of("wrapper", "").append(query));
                if (node.isPresent()) {
                    federation.home().forward(iq, query, node.get(), from, reply);
                    return null;
                }
            } else if (ActorRequests.actorOf(query).isPresent() && !remote.hosts(from.domain())) {
                return actorRequest(iq, query, from, reply, a -> info(iq, query, a));
            }
        }
        return info(iq, query, actorOf(from));
    }

    private XmlElement actorRequest(XmlElement iq, XmlElement query, Jid from, StanzaSink reply,
                                   java.util.function.Function<Actor, XmlElement> handler) {
        federation.actors().handle(iq, ActorRequests.actorOf(query).orElseThrow(), from, reply, handler);
        return null;
    }

    /** Who asks: a user, or (a server, a service asking for itself) nobody in particular, who reads what is public. */
    private static Actor actorOf(Jid from) {
        return from.localpart().isPresent() ? Actor.of(from.toBare()) : Actor.ANONYMOUS;
    }

    /** The node a request is about when it is another domain's (its channel is not ours). */
    private Optional<NodeName> remoteNode(XmlElement query) {
        return query.elements().stream().map(e -> e.attr("node")).filter(java.util.Objects::nonNull).findFirst().flatMap(name -> {
            try {
                return Optional.of(NodeName.parse(name));
            } catch (RuntimeException notANode) {
                return Optional.empty();
            }
        }).filter(federation.copies()::isRemote);
    }

    private XmlElement info(XmlElement iq, XmlElement query, Actor actor) {
        XmlElement reply = Stanzas.result(iq);
        XmlElement out = reply.add("query", Namespaces.DISCO_INFO);
        if (query.attr("node") != null) {
            NodeName node = NodeName.parse(query.attr("node"));
            out.attr("node", node.toString());
            out.add("identity").attr("category", "pubsub").attr("type", "leaf");
            out.add("feature").attr("var", Namespaces.PUBSUB);
            out.append(xml.form("result", PubSubXml.META_DATA, queries.configuration(actor, node)));
            return reply;
        }
        out.add("identity").attr("category", "pubsub").attr("type", "channels").attr("name", "Buddycloud channel service");
        out.add("identity").attr("category", "pubsub").attr("type", "inbox").attr("name", "Buddycloud channel service");
        for (String feature : new String[] {Namespaces.DISCO_INFO, Namespaces.DISCO_ITEMS, Namespaces.PUBSUB, Namespaces.PUBSUB_OWNER,
                Namespaces.REGISTER, Namespaces.SEARCH, Namespaces.RSM, Namespaces.MAM_TMP, Namespaces.BUDDYCLOUD}) {
            out.add("feature").attr("var", feature);
        }
        PubSubIqs.FEATURES.forEach(feature -> out.add("feature").attr("var", feature));
        return reply;
    }

    /** {@code jabber:iq:register} to the channel service: makes sure the user's personal channel exists (idempotent). */
    private XmlElement register(XmlElement iq, Actor actor) {
        if ("set".equals(iq.attr("type"))) {
            changes.ensurePersonalChannel(actor);
        }
        return Stanzas.result(iq).append(XmlElement.of("query", Namespaces.REGISTER));
    }

    /** {@code jabber:iq:search}: the form, then the posts of channels the searcher may read. */
    private XmlElement search(XmlElement iq, XmlElement query, Actor actor) {
        XmlElement reply = Stanzas.result(iq);
        XmlElement out = reply.add("query", Namespaces.SEARCH);
        if ("get".equals(iq.attr("type"))) {
            out.addText("instructions", "Search the posts of the channels you may read.");
            out.append(DataForm.of("form", Namespaces.SEARCH).field("content", "text-multi", "Words")
                    .field("author", "jid-single", "Author").field("rpp", "text-single", "Results per page", "25")
                    .field("page", "text-single", "Page", "1").element());
            return reply;
        }
        Map<String, List<String>> form = DataForm.values(query);
        String words = String.join(" ", form.getOrDefault("content", List.of()));
        Jid author = DataForm.first(form, "author").filter(a -> !a.isBlank()).map(a -> Stanzas.jidValue("author", a)).orElse(null);
        int perPage = DataForm.first(form, "rpp").map(Rsm::number).orElse(25);
        Slice<Post> hits = queries.search(actor, words, author, new Page(Math.min(perPage, Page.LIMIT), null, null));
        DataForm results = DataForm.of("result", Namespaces.SEARCH);
        XmlElement x = results.element();
        XmlElement reported = x.add("reported");
        reported.add("field").attr("var", "node").attr("type", "text-single");
        reported.add("field").attr("var", "id").attr("type", "text-single");
        reported.add("field").attr("var", "entry").attr("type", "xml");
        for (Post post : hits.items()) {
            XmlElement item = x.add("item");
            item.add("field").attr("var", "node").addText("value", post.node().toString());
            item.add("field").attr("var", "id").addText("value", post.id());
            item.add("field").attr("var", "entry").add("value").appendTrusted(xml.entry(post));
        }
        out.append(x);
        return reply;
    }

    /**
     * {@code urn:xmpp:mam:tmp}: the posts of followed channels between {@code start} and {@code end},
     * replayed as forwarded event messages with their time, then the IQ result.
     */
    /**
     * {@code urn:xmpp:mam:tmp} (PROTOCOL.md §1.12): the posts and the membership changes of the followed nodes
     * between {@code start} and {@code end}, each as the event it was, forwarded with its time; then the result.
     */
    private XmlElement catchUp(XmlElement iq, XmlElement query, Actor actor, Jid from, StanzaSink reply) {
        Instant start = query.childText("start", Namespaces.MAM_TMP).map(t -> Stanzas.instantValue("start", t)).orElse(Instant.EPOCH);
        Instant end = query.childText("end", Namespaces.MAM_TMP).map(t -> Stanzas.instantValue("end", t)).orElse(Instant.now());
        Page page = Rsm.page(query, null, 200);
        String queryId = query.attr("queryid");
        for (Post post : queries.followedItems(actor, start, page).items()) {
            if (!post.updated().isAfter(end)) {
                reply.send(replayed(from, queryId, post.updated(), xml.items(Namespaces.PUBSUB_EVENT, post.node(), List.of(post))));
            }
        }
        for (MembershipStore.NodeMembership change : queries.membershipChanges(actor, start, end, page.max())) {
            Membership m = change.membership();
            String node = change.node().toString();
            if (m.subscription() != Subscription.NONE) {
                reply.send(replayed(from, queryId, m.updated(), XmlElement.of("subscription", Namespaces.PUBSUB_EVENT)
                        .attr("node", node).attr("jid", m.jid()).attr("subscription", m.subscription().wireName())));
            }
            XmlElement affiliations = XmlElement.of("affiliations", Namespaces.PUBSUB_EVENT).attr("node", node);
            affiliations.add("affiliation").attr("jid", m.jid()).attr("affiliation", m.affiliation().wireName());
            reply.send(replayed(from, queryId, m.updated(), affiliations));
        }
        return Stanzas.result(iq);
    }

    /** One replayed event: {@code <result/>} and the headline it was, forwarded with a delay stamp. */
    private XmlElement replayed(Jid to, String queryId, Instant at, XmlElement eventChild) {
        XmlElement message = XmlElement.of("message", Namespaces.CLIENT).attr("from", addresses.channelService()).attr("to", to);
        message.add("result", Namespaces.MAM_TMP).attr("id", queryId);
        XmlElement forwarded = message.add("forwarded", Namespaces.FORWARD);
        forwarded.add("delay", Namespaces.DELAY).attr("stamp", at);
        forwarded.add("message", Namespaces.CLIENT).attr("from", addresses.channelService()).attr("type", "headline")
                .add("event", Namespaces.PUBSUB_EVENT).append(eventChild);
        return message;
    }

}
