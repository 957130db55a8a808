package org.buddycloud.channels.xmpp.pubsub;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.ConfigChange;
import org.buddycloud.channels.domain.Location;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.MembershipStore;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Page;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PostDraft;
import org.buddycloud.channels.domain.PubSubRefusal;
import org.buddycloud.channels.domain.Slice;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * XEP-0060 requests and the buddycloud query extensions (PROTOCOL.md §1.10), each mapped onto one
 * call of the channel core; permissions are the core's business, not this layer's.
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

    PubSubIqs(ChannelTransactions changes, ChannelQueries queries, AtomEntries atom, PubSubXml xml) {
        this.changes = changes;
        this.queries = queries;
        this.atom = atom;
        this.xml = xml;
    }

    /** {@code http://jabber.org/protocol/pubsub}. */
    XmlElement user(XmlElement iq, XmlElement pubsub, Actor actor) {
        XmlElement request = request(pubsub);
        boolean set = "set".equals(iq.attr("type"));
        XmlElement reply = Stanzas.result(iq);
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        switch (request.namespace().equals(Namespaces.BUDDYCLOUD) ? "bc:" + request.name() : request.name()) {
            case "create" -> {
                requireSet(set);
                create(actor, node(request), ephemeral(pubsub));
                return reply;
            }
            case "publish" -> {
                requireSet(set);
                NodeName node = node(request);
                XmlElement item = request.element("item", Namespaces.PUBSUB).orElseThrow(() ->
                        new DomainException(Condition.BAD_REQUEST, AppCondition.ITEM_REQUIRED, "publish one <item/>"));
                if (node.isGeo() && item.element("entry", AtomEntries.ATOM).isEmpty()) {
                    Post post = changes.publishLocation(actor, node, item.attr("id"), location(item));
                    out.add("publish").attr("node", node.toString()).add("item").attr("id", post.id());
                    break;
                }
                XmlElement entry = item.element("entry", AtomEntries.ATOM).orElseThrow(() ->
                        new DomainException(Condition.BAD_REQUEST, AppCondition.ENTRY_ELEMENT_REQUIRED, "the item carries an Atom <entry/>"));
                PostDraft draft = atom.parse(entry.toXml());
                if (item.attr("id") != null) {
                    draft = draft.withId(item.attr("id"));
                }
                Post post = changes.publish(actor, node, draft);
                out.add("publish").attr("node", node.toString()).add("item").attr("id", post.id());
            }
            case "retract" -> {
                requireSet(set);
                NodeName node = node(request);
                List<XmlElement> items = request.elements("item", Namespaces.PUBSUB);
                if (items.isEmpty()) {
                    throw new DomainException(Condition.BAD_REQUEST, AppCondition.ITEM_REQUIRED, "say which item to retract");
                }
                changes.retract(actor, node, items.stream().map(item -> required(item, "id")).toList(), notify(request));
                return reply;
            }
            case "items" -> {
                return reply.append(items(pubsub, request, actor));
            }
            case "subscribe" -> {
                requireSet(set);
                if (FIREHOSE.equals(request.attr("node"))) {
                    requireSelf(request, actor);
                    changes.followFirehose(actor, true);
                    out.add("subscription").attr("node", FIREHOSE).attr("jid", actor.jid()).attr("subscription", "subscribed");
                    break;
                }
                NodeName node = node(request);
                requireSelf(request, actor);
                Membership m = changes.subscribe(actor, node);
                // XEP-0060 §6.1.2: the subscription alone (clients such as Smack refuse anything more)
                out.append(subscription(node, m));
            }
            case "unsubscribe" -> {
                requireSet(set);
                if (FIREHOSE.equals(request.attr("node"))) {
                    requireSelf(request, actor);
                    changes.followFirehose(actor, false);
                    return reply;
                }
                changes.unsubscribe(actor, node(request), jid(request, "jid"));
                return reply;
            }
            case "subscriptions" -> {
                XmlElement list = out.add("subscriptions");
                memberships(request, actor).stream().filter(m -> m.membership().subscription() != Subscription.NONE)
                        .forEach(m -> list.append(subscription(m.node(), m.membership())));
            }
            case "affiliations" -> {
                // XEP-0060 §5.7: the user's own affiliations name the node; a node's (a buddycloud extension) name the JID
                String ofNode = request.attr("node");
                XmlElement list = out.add("affiliations").attr("node", ofNode);
                memberships(request, actor).stream().filter(m -> m.membership().affiliation() != Affiliation.NONE)
                        .forEach(m -> list.add("affiliation").attr(ofNode == null ? "node" : "jid",
                                        ofNode == null ? m.node().toString() : m.membership().jid())
                                .attr("affiliation", m.membership().affiliation().wireName()));
            }
            case "threads" -> {
                NodeName node = node(request);
                Slice<ChannelQueries.Thread> threads = queries.threads(actor, node, Rsm.page(pubsub, null, 15));
                threads.items().forEach(thread -> {
                    XmlElement t = out.add("thread").attr("node", node.toString()).attr("id", thread.parent().id())
                            .attr("updated", thread.parent().updated());
                    t.append(xml.item(Namespaces.PUBSUB, thread.parent()));
                    thread.replies().forEach(r -> t.append(xml.item(Namespaces.PUBSUB, r)));
                });
                out.append(Rsm.set(threads));
            }
            case "bc:recent-items" -> recentItems(pubsub, request, actor, out);
            case "bc:user-items" -> {
                Slice<Post> posts = queries.followedItems(actor, since(request), Rsm.page(pubsub, null, 50));
                groupByNode(posts.items(), out);
                out.append(Rsm.set(posts));
            }
            case "bc:replies" -> {
                NodeName node = node(request);
                Slice<Post> replies = queries.replies(actor, node, required(request, "item_id"), Rsm.page(pubsub, null, 50));
                out.append(xml.items(Namespaces.PUBSUB, node, replies.items())).append(Rsm.set(replies));
            }
            case "bc:thread" -> {
                NodeName node = node(request);
                ChannelQueries.Thread thread = queries.thread(actor, node, required(request, "item_id"));
                List<Post> all = new java.util.ArrayList<>(List.of(thread.parent()));
                all.addAll(thread.replies());
                out.append(xml.items(Namespaces.PUBSUB, node, all));
            }
            case "bc:subscriptions-with-configuration" -> {
                XmlElement list = out.add("subscriptions");
                queries.subscriptionsWithConfiguration(actor).forEach(f -> list.append(subscription(f.node(), f.membership())
                        .append(xml.form("result", PubSubXml.META_DATA, f.config()))));
            }
            default -> throw unsupported(request);
        }
        return reply.append(out);
    }

    /** {@code http://jabber.org/protocol/pubsub#owner}. */
    XmlElement owner(XmlElement iq, XmlElement pubsub, Actor actor) {
        XmlElement request = request(pubsub);
        if (UNSUPPORTED.containsKey(request.name())) {
            throw unsupported(request);
        }
        boolean set = "set".equals(iq.attr("type"));
        NodeName node = node(request);
        XmlElement reply = Stanzas.result(iq);
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB_OWNER);
        switch (request.name()) {
            case "configure" -> {
                if (!set) {
                    NodeConfig config = queries.configuration(actor, node);
                    out.add("configure").attr("node", node.toString()).append(xml.form("form", PubSubXml.NODE_CONFIG, config));
                    return reply.append(out);
                }
                changes.configure(actor, node, change(DataForm.values(request)));
                return reply;
            }
            case "delete" -> {
                requireSet(set);
                if (node.is(NodeName.POSTS)) {
                    changes.deleteChannel(actor, node.channel());
                } else {
                    changes.deleteNode(actor, node);
                }
                return reply;
            }
            case "affiliations" -> {
                if (set) {
                    Map<Jid, Affiliation> changed = new LinkedHashMap<>();
                    request.elements("affiliation", Namespaces.PUBSUB_OWNER).forEach(a ->
                            changed.put(jid(a, "jid"), affiliation(required(a, "affiliation"))));
                    changes.setAffiliations(actor, node, changed);
                    return reply;
                }
                XmlElement list = out.add("affiliations").attr("node", node.toString());
                queries.members(actor, node).stream().filter(m -> m.affiliation() != Affiliation.NONE).forEach(m ->
                        list.add("affiliation").attr("jid", m.jid()).attr("affiliation", m.affiliation().wireName()));
            }
            case "subscriptions" -> {
                if (set) {
                    Map<Jid, Subscription> decided = new LinkedHashMap<>();
                    request.elements("subscription", Namespaces.PUBSUB_OWNER).forEach(s ->
                            decided.put(jid(s, "jid"), subscription(required(s, "subscription"))));
                    changes.setSubscriptions(actor, node, decided);
                    return reply;
                }
                XmlElement list = out.add("subscriptions").attr("node", node.toString());
                queries.members(actor, node).stream().filter(m -> m.subscription() != Subscription.NONE).forEach(m ->
                        list.add("subscription").attr("jid", m.jid()).attr("subscription", m.subscription().wireName()));
            }
            default -> throw unsupported(request);
        }
        return reply.append(out);
    }

    private XmlElement items(XmlElement pubsub, XmlElement request, Actor actor) {
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB);
        String nodeAttr = request.attr("node");
        Integer maxItems = request.attr("max_items") == null ? null : Rsm.number(request.attr("max_items"));
        Page page = Rsm.page(pubsub, maxItems, 50);
        if (FIREHOSE.equals(nodeAttr)) {
            Slice<Post> posts = queries.firehose(actor, page);
            groupByNode(posts.items(), out);
            return out.append(Rsm.set(posts));
        }
        NodeName node = node(request);
        List<XmlElement> wanted = request.elements("item", Namespaces.PUBSUB);
        if (!wanted.isEmpty()) {
            List<Post> posts = wanted.stream().map(item -> queries.item(actor, node, required(item, "id"))).toList();
            return out.append(xml.items(Namespaces.PUBSUB, node, posts));
        }
        Slice<Post> posts = queries.items(actor, node, page, "true".equals(request.attr("parent-only")));
        return out.append(xml.items(Namespaces.PUBSUB, node, posts.items())).append(Rsm.set(posts));
    }

    /** Paged like the other lists (XEP-0059, PROTOCOL.md decision 5): cursors {@code node,id}, at most 200 a page. */
    private void recentItems(XmlElement pubsub, XmlElement request, Actor actor, XmlElement out) {
        if (request.attr("max") == null) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.MAX_REQUIRED, "max is required");
        }
        Slice<Post> recent = queries.recentItems(actor, since(request), Rsm.number(request.attr("max")),
                "true".equals(request.attr("parent-only")), Rsm.page(pubsub, null, Page.LIMIT));
        groupByNode(recent.items(), out);
        out.append(Rsm.set(recent));
    }

    private void groupByNode(List<Post> posts, XmlElement out) {
        posts.stream().collect(java.util.stream.Collectors.groupingBy(Post::node, java.util.LinkedHashMap::new,
                java.util.stream.Collectors.toList())).forEach((node, list) -> out.append(xml.items(Namespaces.PUBSUB, node, list)));
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

    private void create(Actor actor, NodeName node, boolean ephemeral) {
        if (node.is(NodeName.POSTS) && !node.channel().equals(actor.jid())) {
            changes.createTopicChannel(actor, node.channel(), ephemeral);
        } else {
            changes.createNode(actor, node, ephemeral);
        }
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

    private static ConfigChange change(Map<String, List<String>> form) {
        String access = DataForm.first(form, "pubsub#access_model").orElse(null);
        AccessModel model = access == null ? null : AccessModel.fromWire(access);
        if (access != null && !model.wireName().equals(access.trim().toLowerCase(Locale.ROOT))) {
            throw new DomainException(Condition.BAD_REQUEST, "pubsub#access_model must be open, authorize, whitelist or local");
        }
        String defaultAffiliation = DataForm.first(form, "buddycloud#default_affiliation").orElse(null);
        String channelType = DataForm.first(form, "buddycloud#channel_type").orElse(null);
        String creator = DataForm.first(form, "pubsub#creator").orElse(null);
        String created = DataForm.first(form, "pubsub#creation_date").orElse(null);
        // an empty coordinate (a form sent back as it was offered) leaves the place as it is
        Double lat = DataForm.first(form, "x-buddycloud#geoloc-lat").filter(v -> !v.isBlank()).map(PubSubIqs::decimal).orElse(null);
        Double lon = DataForm.first(form, "x-buddycloud#geoloc-lon").filter(v -> !v.isBlank()).map(PubSubIqs::decimal).orElse(null);
        String place = DataForm.first(form, "x-buddycloud#geoloc-text").orElse(null);
        return new ConfigChange(DataForm.first(form, "pubsub#title").orElse(null), DataForm.first(form, "pubsub#description").orElse(null),
                model, defaultAffiliation == null ? null : affiliation(defaultAffiliation),
                DataForm.flag(form, "buddycloud#advertise_node").orElse(null),
                lat == null && lon == null && place == null ? null : new NodeConfig.Geo(lat, lon, place),
                channelType == null ? null : channelType(channelType), creator == null ? null : Stanzas.jidValue("pubsub#creator", creator),
                created == null ? null : instant(created), DataForm.first(form, "pubsub#type").orElse(null),
                DataForm.flag(form, "buddycloud#ephemeral").orElse(null));
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

    private static NodeName node(XmlElement request) {
        return NodeName.parse(request.attr("node"));
    }

    private static void requireSelf(XmlElement request, Actor actor) {
        Jid jid = jid(request, "jid");
        if (!actor.is(jid.toBare())) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID, "subscribe with your own JID");
        }
    }

    private static void requireSet(boolean set) {
        if (!set) {
            throw new DomainException(Condition.BAD_REQUEST, "this request is an IQ of type set");
        }
    }

    private static Instant since(XmlElement request) {
        String since = request.attr("since");
        if (since == null) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.SINCE_REQUIRED, "since is required");
        }
        return instant(since);
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_SINCE_VALUE_PROVIDED, "not an ISO-8601 instant: " + value);
        }
    }

    private static Double decimal(String value) {
        try {
            return Double.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, "not a number: " + value);
        }
    }

    private static String required(XmlElement element, String attribute) {
        String value = element.attr(attribute);
        if (value == null || value.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, attribute.equals("id") ? AppCondition.ITEM_REQUIRED : null,
                    "the attribute '" + attribute + "' is required");
        }
        return value;
    }

    private static Jid jid(XmlElement element, String attribute) {
        return Stanzas.jidAttribute(element, attribute).orElseThrow(() ->
                new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID, "the attribute '" + attribute + "' is required"));
    }

    private static Affiliation affiliation(String value) {
        try {
            return Affiliation.fromWire(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "unknown affiliation " + value);
        }
    }

    private static Subscription subscription(String value) {
        try {
            return Subscription.fromWire(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "unknown subscription state " + value);
        }
    }

    private static ChannelType channelType(String value) {
        try {
            return ChannelType.fromWire(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "unknown channel type " + value);
        }
    }

}
