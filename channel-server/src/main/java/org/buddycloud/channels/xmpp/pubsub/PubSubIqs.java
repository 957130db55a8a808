package org.buddycloud.channels.xmpp.pubsub;

import static org.buddycloud.channels.xmpp.pubsub.PubSubAttributes.instant;
import static org.buddycloud.channels.xmpp.pubsub.PubSubAttributes.jid;
import static org.buddycloud.channels.xmpp.pubsub.PubSubAttributes.node;
import static org.buddycloud.channels.xmpp.pubsub.PubSubAttributes.required;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.Location;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.MembershipStore;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Page;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PostDraft;
import org.buddycloud.channels.domain.PubSubRefusal;
import org.buddycloud.channels.domain.Slice;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.pubsub.PubSubHandlers.Request;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * XEP-0060 requests and the buddycloud query extensions (PROTOCOL.md §1.10), each mapped onto one
 * call of the channel core by its handler in a table ({@link PubSubHandlers}); permissions are the core's business,
 * not this layer's.
 */
@ApplicationScoped
public class PubSubIqs {

    /** Children of {@code <pubsub/>} that qualify a request rather than being one. */
    private static final Set<String> QUALIFIERS = Set.of("set", "options", "publish-options", "actor", "configure");
    private static final String FIREHOSE = "/firehose";

    /**
     * The XEP-0060 features (§10) the handlers below implement, for the service's disco#info: each names
     * a request handled here or a behaviour of the core ({@code presence-notifications}: events go to the
     * full JIDs that sent presence; {@code subscription-notifications}: membership changes are events).
     */
    static final List<String> FEATURES = List.of("access-authorize", "access-open", "access-whitelist", "config-node",
            "create-nodes", "delete-items", "delete-nodes", "item-ids", "manage-subscriptions", "member-affiliation", "meta-data",
            "modify-affiliations", "outcast-affiliation", "persistent-items", "presence-notifications", "publish",
            "publisher-affiliation", "retract-items", "retrieve-affiliations", "retrieve-items", "retrieve-subscriptions", "rsm",
            "subscribe", "subscription-notifications").stream().map(f -> Namespaces.PUBSUB + "#" + f).toList();

    /** Requests of XEP-0060 not implemented here, with the feature their refusal names (§12). */
    private static final Map<String, String> UNSUPPORTED = Map.of("purge", "purge-nodes", "default", "retrieve-default");

    private final ChannelTransactions changes;
    private final ChannelQueries queries;
    private final AtomEntries atom;
    private final PubSubXml xml;
    private final PubSubOwnerIqs owner;
    private final PubSubHandlers handlers;

    PubSubIqs(ChannelTransactions changes, ChannelQueries queries, AtomEntries atom, PubSubXml xml) {
        this.changes = changes;
        this.queries = queries;
        this.atom = atom;
        this.xml = xml;
        this.owner = new PubSubOwnerIqs(changes, queries, xml);
        this.handlers = handlers();
    }

    /** {@code http://jabber.org/protocol/pubsub}. */
    XmlElement user(XmlElement iq, XmlElement pubsub, Actor actor) {
        XmlElement request = request(pubsub);
        // buddycloud's extensions are told apart by their namespace; any other element is read as XEP-0060's
        String namespace = request.namespace().equals(Namespaces.BUDDYCLOUD) ? Namespaces.BUDDYCLOUD : Namespaces.PUBSUB;
        return handlers.handle(namespace, new Request(iq, pubsub, request, actor));
    }

    /** {@code http://jabber.org/protocol/pubsub#owner}. */
    XmlElement owner(XmlElement iq, XmlElement pubsub, Actor actor) {
        XmlElement request = request(pubsub);
        if (UNSUPPORTED.containsKey(request.name())) {
            throw unsupported(request);
        }
        // every owner request is about a node: one that names none (or no valid one) is refused for that first
        node(request);
        return handlers.handle(Namespaces.PUBSUB_OWNER, new Request(iq, pubsub, request, actor));
    }

    private PubSubHandlers handlers() {
        return new PubSubHandlers(PubSubIqs::unsupported)
                // XEP-0060 §6 and §7: a user's requests
                .set(Namespaces.PUBSUB, "create", this::create)
                .set(Namespaces.PUBSUB, "publish", this::publish)
                .set(Namespaces.PUBSUB, "retract", this::retract)
                .getOrSet(Namespaces.PUBSUB, "items", this::items)
                .set(Namespaces.PUBSUB, "subscribe", this::subscribe)
                .set(Namespaces.PUBSUB, "unsubscribe", this::unsubscribe)
                .getOrSet(Namespaces.PUBSUB, "subscriptions", this::subscriptions)
                .getOrSet(Namespaces.PUBSUB, "affiliations", this::affiliations)
                .getOrSet(Namespaces.PUBSUB, "threads", this::threads)
                // the buddycloud query extensions (PROTOCOL.md §1.10)
                .getOrSet(Namespaces.BUDDYCLOUD, "recent-items", this::recentItems)
                .getOrSet(Namespaces.BUDDYCLOUD, "user-items", this::userItems)
                .getOrSet(Namespaces.BUDDYCLOUD, "replies", this::replies)
                .getOrSet(Namespaces.BUDDYCLOUD, "thread", this::thread)
                .getOrSet(Namespaces.BUDDYCLOUD, "subscriptions-with-configuration", this::subscriptionsWithConfiguration)
                // XEP-0060 §8: an owner's
                .get(Namespaces.PUBSUB_OWNER, "configure", owner::configuration)
                .set(Namespaces.PUBSUB_OWNER, "configure", owner::configure)
                .set(Namespaces.PUBSUB_OWNER, "delete", owner::delete)
                .get(Namespaces.PUBSUB_OWNER, "affiliations", owner::affiliations)
                .set(Namespaces.PUBSUB_OWNER, "affiliations", owner::setAffiliations)
                .get(Namespaces.PUBSUB_OWNER, "subscriptions", owner::subscriptions)
                .set(Namespaces.PUBSUB_OWNER, "subscriptions", owner::setSubscriptions);
    }

    // ---- a user's requests

    private XmlElement create(Request request) {
        XmlElement create = request.element();
        NodeName node = node(create);
        boolean ephemeral = ephemeral(request.pubsub());
        Actor actor = request.actor();
        if (node.is(NodeName.POSTS) && !node.channel().equals(actor.jid())) {
            changes.createTopicChannel(actor, node.channel(), ephemeral);
        } else {
            changes.createNode(actor, node, ephemeral);
        }
        return null;
    }

    private XmlElement publish(Request request) {
        XmlElement publish = request.element();
        NodeName node = node(publish);
        XmlElement item = publish.element("item", Namespaces.PUBSUB).orElseThrow(() ->
                new DomainException(Condition.BAD_REQUEST, AppCondition.ITEM_REQUIRED, "publish one <item/>"));
        Post post;
        if (node.isGeo() && item.element("entry", AtomEntries.ATOM).isEmpty()) {
            post = changes.publishLocation(request.actor(), node, item.attr("id"), location(item));
        } else {
            XmlElement entry = item.element("entry", AtomEntries.ATOM).orElseThrow(() ->
                    new DomainException(Condition.BAD_REQUEST, AppCondition.ENTRY_ELEMENT_REQUIRED, "the item carries an Atom <entry/>"));
            PostDraft draft = atom.parse(entry.toXml());
            if (item.attr("id") != null) {
                draft = draft.withId(item.attr("id"));
            }
            post = changes.publish(request.actor(), node, draft);
        }
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        out.add("publish").attr("node", node.toString()).add("item").attr("id", post.id());
        return out;
    }

    private XmlElement retract(Request request) {
        XmlElement retract = request.element();
        NodeName node = node(retract);
        List<XmlElement> items = retract.elements("item", Namespaces.PUBSUB);
        if (items.isEmpty()) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.ITEM_REQUIRED, "say which item to retract");
        }
        changes.retract(request.actor(), node, items.stream().map(item -> required(item, "id")).toList(), notify(retract));
        return null;
    }

    private XmlElement subscribe(Request request) {
        XmlElement subscribe = request.element();
        Actor actor = request.actor();
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        if (FIREHOSE.equals(subscribe.attr("node"))) {
            requireSelf(subscribe, actor);
            changes.followFirehose(actor, true);
            out.add("subscription").attr("node", FIREHOSE).attr("jid", actor.jid()).attr("subscription", "subscribed");
            return out;
        }
        NodeName node = node(subscribe);
        requireSelf(subscribe, actor);
        Membership m = changes.subscribe(actor, node);
        // XEP-0060 §6.1.2: the subscription alone (clients such as Smack refuse anything more)
        return out.append(subscription(node, m));
    }

    private XmlElement unsubscribe(Request request) {
        XmlElement unsubscribe = request.element();
        if (FIREHOSE.equals(unsubscribe.attr("node"))) {
            requireSelf(unsubscribe, request.actor());
            changes.followFirehose(request.actor(), false);
            return null;
        }
        changes.unsubscribe(request.actor(), node(unsubscribe), jid(unsubscribe, "jid"));
        return null;
    }

    private XmlElement subscriptions(Request request) {
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        XmlElement list = out.add("subscriptions");
        memberships(request.element(), request.actor()).stream().filter(m -> m.membership().subscription() != Subscription.NONE)
                .forEach(m -> list.append(subscription(m.node(), m.membership())));
        return out;
    }

    private XmlElement affiliations(Request request) {
        // XEP-0060 §5.7: the user's own affiliations name the node; a node's (a buddycloud extension) name the JID
        String ofNode = request.element().attr("node");
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        XmlElement list = out.add("affiliations").attr("node", ofNode);
        memberships(request.element(), request.actor()).stream().filter(m -> m.membership().affiliation() != Affiliation.NONE)
                .forEach(m -> list.add("affiliation").attr(ofNode == null ? "node" : "jid",
                                ofNode == null ? m.node().toString() : m.membership().jid())
                        .attr("affiliation", m.membership().affiliation().wireName()));
        return out;
    }

    private XmlElement threads(Request request) {
        NodeName node = node(request.element());
        Slice<ChannelQueries.Thread> threads = queries.threads(request.actor(), node, Rsm.page(request.pubsub(), null, 15));
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        threads.items().forEach(thread -> {
            XmlElement t = out.add("thread").attr("node", node.toString()).attr("id", thread.parent().id())
                    .attr("updated", thread.parent().updated());
            t.append(xml.item(Namespaces.PUBSUB, thread.parent()));
            thread.replies().forEach(r -> t.append(xml.item(Namespaces.PUBSUB, r)));
        });
        return out.append(Rsm.set(threads));
    }

    private XmlElement items(Request request) {
        XmlElement items = request.element();
        Actor actor = request.actor();
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        Integer maxItems = items.attr("max_items") == null ? null : Rsm.number(items.attr("max_items"));
        Page page = Rsm.page(request.pubsub(), maxItems, 50);
        if (FIREHOSE.equals(items.attr("node"))) {
            Slice<Post> posts = queries.firehose(actor, page);
            groupByNode(posts.items(), out);
            return out.append(Rsm.set(posts));
        }
        NodeName node = node(items);
        List<XmlElement> wanted = items.elements("item", Namespaces.PUBSUB);
        if (!wanted.isEmpty()) {
            List<Post> posts = wanted.stream().map(item -> queries.item(actor, node, required(item, "id"))).toList();
            return out.append(xml.items(Namespaces.PUBSUB, node, posts));
        }
        Slice<Post> posts = queries.items(actor, node, page, "true".equals(items.attr("parent-only")));
        return out.append(xml.items(Namespaces.PUBSUB, node, posts.items())).append(Rsm.set(posts));
    }

    // ---- buddycloud's query extensions

    /** Paged like the other lists (XEP-0059, PROTOCOL.md decision 5): cursors {@code node,id}, at most 200 a page. */
    private XmlElement recentItems(Request request) {
        XmlElement recentItems = request.element();
        if (recentItems.attr("max") == null) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.MAX_REQUIRED, "max is required");
        }
        Slice<Post> recent = queries.recentItems(request.actor(), since(recentItems), Rsm.number(recentItems.attr("max")),
                "true".equals(recentItems.attr("parent-only")), Rsm.page(request.pubsub(), null, Page.LIMIT));
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        groupByNode(recent.items(), out);
        return out.append(Rsm.set(recent));
    }

    private XmlElement userItems(Request request) {
        Slice<Post> posts = queries.followedItems(request.actor(), since(request.element()), Rsm.page(request.pubsub(), null, 50));
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        groupByNode(posts.items(), out);
        return out.append(Rsm.set(posts));
    }

    private XmlElement replies(Request request) {
        NodeName node = node(request.element());
        Slice<Post> replies = queries.replies(request.actor(), node, required(request.element(), "item_id"),
                Rsm.page(request.pubsub(), null, 50));
        return XmlElement.of("pubsub", Namespaces.PUBSUB).append(xml.items(Namespaces.PUBSUB, node, replies.items()))
                .append(Rsm.set(replies));
    }

    private XmlElement thread(Request request) {
        NodeName node = node(request.element());
        ChannelQueries.Thread thread = queries.thread(request.actor(), node, required(request.element(), "item_id"));
        List<Post> all = new ArrayList<>(List.of(thread.parent()));
        all.addAll(thread.replies());
        return XmlElement.of("pubsub", Namespaces.PUBSUB).append(xml.items(Namespaces.PUBSUB, node, all));
    }

    private XmlElement subscriptionsWithConfiguration(Request request) {
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        XmlElement list = out.add("subscriptions");
        queries.subscriptionsWithConfiguration(request.actor()).forEach(f -> list.append(subscription(f.node(), f.membership())
                .append(xml.form("result", PubSubXml.META_DATA, f.config()))));
        return out;
    }

    // ---- reading requests

    private void groupByNode(List<Post> posts, XmlElement out) {
        posts.stream().collect(Collectors.groupingBy(Post::node, LinkedHashMap::new, Collectors.toList()))
                .forEach((node, list) -> out.append(xml.items(Namespaces.PUBSUB, node, list)));
    }

    private List<MembershipStore.NodeMembership> memberships(XmlElement request, Actor actor) {
        if (actor.anonymous()) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "log in to see subscriptions");
        }
        if (request.attr("node") == null) {
            return queries.subscriptionsOf(actor, actor.jid());
        }
        NodeName node = node(request);
        return queries.members(actor, node).stream().map(m -> new MembershipStore.NodeMembership(node, m)).toList();
    }

    /** XEP-0060 create-and-configure: {@code buddycloud#ephemeral} can only be chosen here, at creation. */
    private static boolean ephemeral(XmlElement pubsub) {
        return pubsub.element("configure", Namespaces.PUBSUB)
                .flatMap(configure -> DataForm.flag(DataForm.values(configure), "buddycloud#ephemeral")).orElse(false);
    }

    private static XmlElement subscription(NodeName node, Membership m) {
        return XmlElement.of("subscription", Namespaces.PUBSUB).attr("node", node.toString()).attr("jid", m.jid())
                .attr("subscription", m.subscription().wireName());
    }

    private static XmlElement request(XmlElement pubsub) {
        return pubsub.elements().stream().filter(e -> !QUALIFIERS.contains(e.name())
                        || e.name().equals("configure") && e.namespace().equals(Namespaces.PUBSUB_OWNER))
                .findFirst().orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "an empty pubsub request"));
    }

    /** The payload of an item of a geo node that is no Atom entry: one XEP-0080 {@code <geoloc/>} (XEP-0060 §7.1.3.6). */
    private static Location location(XmlElement item) {
        List<XmlElement> payload = item.elements();
        if (payload.isEmpty()) {
            throw new PubSubRefusal(Condition.BAD_REQUEST, PubSubRefusal.Reason.PAYLOAD_REQUIRED, "the item carries a <geoloc/> or an Atom <entry/>");
        }
        if (payload.size() > 1 || !payload.get(0).is("geoloc", Location.NAMESPACE)) {
            throw PubSubXml.invalidPayload("a geo node takes one XEP-0080 <geoloc xmlns='" + Location.NAMESPACE + "'/> or an Atom <entry/>");
        }
        return PubSubXml.location(payload.get(0));
    }

    /**
     * XEP-0060 §7.2.2.1: {@code notify='1'} or {@code 'true'} asks for retraction notifications; buddycloud has always
     * sent them, so only {@code '0'} or {@code 'false'} turns them off (PROTOCOL.md §1.9).
     */
    private static boolean notify(XmlElement retract) {
        String notify = retract.attr("notify");
        return notify == null || !(notify.trim().equals("0") || notify.trim().equalsIgnoreCase("false"));
    }

    private static DomainException unsupported(XmlElement request) {
        String feature = UNSUPPORTED.get(request.name());
        String message = "unsupported pubsub request <" + request.name() + "/>";
        return feature == null ? new DomainException(Condition.BAD_REQUEST, message) : PubSubRefusal.unsupported(feature, message);
    }

    private static void requireSelf(XmlElement request, Actor actor) {
        Jid jid = jid(request, "jid");
        if (!actor.is(jid.toBare())) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID, "subscribe with your own JID");
        }
    }

    private static Instant since(XmlElement request) {
        String since = request.attr("since");
        if (since == null) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.SINCE_REQUIRED, "since is required");
        }
        return instant(since);
    }
}
