package org.buddycloud.channels.xmpp.pep;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.buddycloud.channels.pep.PepItem;
import org.buddycloud.channels.pep.PepNode;
import org.buddycloud.channels.pep.PepService;
import org.buddycloud.channels.service.PepTransactions;
import org.buddycloud.channels.service.RosterTransactions;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * XEP-0060 requests to an account's personal service (XEP-0163): publish (with XEP-0223 publish
 * options), items, retract, create, configure and delete. Only the owner changes anything; readers
 * are checked against the node's access model.
 */
@ApplicationScoped
public class PepIqs {

    private final PepTransactions pep;
    private final PepNotifier notifier;
    private final RosterTransactions rosters;

    PepIqs(PepTransactions pep, PepNotifier notifier, RosterTransactions rosters) {
        this.pep = pep;
        this.notifier = notifier;
        this.rosters = rosters;
    }

    public XmlElement handle(Jid actor, Jid owner, XmlElement iq, XmlElement pubsub) {
        boolean isOwner = actor.toBare().equals(owner);
        boolean set = "set".equals(iq.attr("type"));
        XmlElement action = pubsub.elements().stream().filter(e -> !e.name().equals("publish-options") && !e.name().equals("configure"))
                .findFirst().orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "the pubsub element names no action"));
        String node = action.attr("node");
        try {
            if (pubsub.namespace().equals(Namespaces.PUBSUB_OWNER)) {
                requireOwner(isOwner);
                return owner(owner, iq, action, requireNode(node), set);
            }
            return switch ((set ? "set " : "get ") + action.name()) {
                case "set publish" -> {
                    requireOwner(isOwner);
                    yield publish(owner, iq, pubsub, action, requireNode(node));
                }
                case "set retract" -> {
                    requireOwner(isOwner);
                    yield retract(owner, iq, action, requireNode(node));
                }
                case "set create" -> {
                    requireOwner(isOwner);
                    pep.create(owner, requireNode(node), options(pubsub, "configure"));
                    yield Stanzas.result(iq);
                }
                case "get items" -> items(actor, owner, iq, action, requireNode(node));
                case "set subscribe", "set unsubscribe" -> unsupported(iq, "subscribe",
                        "personal nodes are followed through presence and entity capabilities (XEP-0163), not subscriptions");
                default -> unsupported(iq, action.name(), "not supported on personal nodes");
            };
        } catch (PepService.PreconditionNotMet e) {
            XmlElement error = Stanzas.error(iq, "cancel", "conflict", e.getMessage(), null);
            error.element("error", Namespaces.CLIENT).ifPresent(x -> x.add("precondition-not-met", Namespaces.PUBSUB_ERRORS));
            return error;
        }
    }

    private XmlElement publish(Jid owner, XmlElement iq, XmlElement pubsub, XmlElement publish, String node) {
        List<XmlElement> items = publish.elements("item", Namespaces.PUBSUB);
        if (items.size() != 1) {
            return pubsubError(iq, "modify", "bad-request", items.isEmpty() ? "item-required" : "invalid-payload", "publish one item");
        }
        XmlElement item = items.get(0);
        List<XmlElement> payload = item.elements();
        if (payload.size() != 1) {
            return pubsubError(iq, "modify", "bad-request", payload.isEmpty() ? "payload-required" : "invalid-payload",
                    "an item holds exactly one payload element");
        }
        String id = Optional.ofNullable(item.attr("id")).filter(s -> !s.isEmpty()).orElseGet(() -> UUID.randomUUID().toString());
        PepItem published = new PepItem(owner, node, id, payload.get(0).toXml(), null);
        PepNode target = pep.publish(owner, node, id, published.payload(), options(pubsub, "publish-options"));
        notifier.published(owner, target, published);
        XmlElement reply = Stanzas.result(iq);
        reply.add("pubsub", Namespaces.PUBSUB).add("publish").attr("node", node).add("item").attr("id", id);
        return reply;
    }

    private XmlElement retract(Jid owner, XmlElement iq, XmlElement retract, String node) {
        List<XmlElement> items = retract.elements("item", Namespaces.PUBSUB);
        if (items.size() != 1 || items.get(0).attr("id") == null) {
            return pubsubError(iq, "modify", "bad-request", "item-required", "retract one item by id");
        }
        String id = items.get(0).attr("id");
        if (!pep.retract(owner, node, id)) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no item " + id);
        }
        String notify = retract.attr("notify");
        if ("1".equals(notify) || "true".equals(notify)) {
            pep.node(owner, node).ifPresent(found -> notifier.retracted(owner, found, id));
        }
        return Stanzas.result(iq);
    }

    private XmlElement items(Jid actor, Jid owner, XmlElement iq, XmlElement request, String node) {
        int max = Optional.ofNullable(request.attr("max_items")).map(Integer::parseInt).orElse(PepService.MAX_ITEMS_CAP);
        if (max < 1) {
            throw new DomainException(Condition.BAD_REQUEST, "max_items is at least 1");
        }
        Optional<String> id = request.elements("item", Namespaces.PUBSUB).stream().map(i -> i.attr("id")).filter(i -> i != null).findFirst();
        boolean subscribed = !actor.toBare().equals(owner) && rosters.state(owner, actor).from();
        List<PepItem> found = pep.items(owner, node, actor, subscribed, max, id);
        XmlElement reply = Stanzas.result(iq);
        XmlElement items = reply.add("pubsub", Namespaces.PUBSUB).add("items").attr("node", node);
        found.forEach(item -> items.add("item").attr("id", item.id()).appendTrusted(item.payload()));
        return reply;
    }

    private XmlElement owner(Jid owner, XmlElement iq, XmlElement action, String node, boolean set) {
        switch ((set ? "set " : "get ") + action.name()) {
            case "set delete" -> {
                pep.deleteNode(owner, node);
                return Stanzas.result(iq);
            }
            case "get configure" -> {
                PepNode found = pep.node(owner, node).orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no node " + node));
                XmlElement reply = Stanzas.result(iq);
                reply.add("pubsub", Namespaces.PUBSUB_OWNER).add("configure").attr("node", node).append(configuration(found));
                return reply;
            }
            case "set configure" -> {
                pep.configure(owner, node, single(DataForm.values(action)));
                return Stanzas.result(iq);
            }
            default -> {
                return unsupported(iq, action.name(), "not supported on personal nodes");
            }
        }
    }

    private static XmlElement configuration(PepNode node) {
        XmlElement form = DataForm.of("form", "http://jabber.org/protocol/pubsub#node_config").element();
        XmlElement access = form.add("field").attr("var", "pubsub#access_model").attr("type", "list-single");
        access.addText("value", node.access().wireName());
        for (String model : new String[] {"presence", "roster", "open", "whitelist"}) {
            access.add("option").addText("value", model);
        }
        form.add("field").attr("var", "pubsub#max_items").attr("type", "text-single").addText("value", Integer.toString(node.maxItems()));
        return form;
    }

    private static Map<String, String> options(XmlElement pubsub, String child) {
        return pubsub.element(child, pubsub.namespace()).map(DataForm::values).map(PepIqs::single).orElse(Map.of());
    }

    private static Map<String, String> single(Map<String, List<String>> values) {
        Map<String, String> single = new LinkedHashMap<>();
        values.forEach((key, list) -> {
            if (key != null && !key.equals("FORM_TYPE") && !list.isEmpty()) {
                single.put(key, list.get(0));
            }
        });
        return single;
    }

    private static String requireNode(String node) {
        if (node == null || node.isEmpty()) {
            throw new DomainException(Condition.BAD_REQUEST, "name the node");
        }
        return node;
    }

    private static void requireOwner(boolean isOwner) {
        if (!isOwner) {
            throw new DomainException(Condition.FORBIDDEN, "only the account's owner changes its personal nodes");
        }
    }

    private static XmlElement unsupported(XmlElement iq, String feature, String text) {
        XmlElement reply = Stanzas.error(iq, "cancel", "feature-not-implemented", text, null);
        reply.element("error", Namespaces.CLIENT).ifPresent(e -> e.add("unsupported", Namespaces.PUBSUB_ERRORS).attr("feature", feature));
        return reply;
    }

    private static XmlElement pubsubError(XmlElement iq, String type, String condition, String pubsubCondition, String text) {
        XmlElement reply = Stanzas.error(iq, type, condition, text, null);
        reply.element("error", Namespaces.CLIENT).ifPresent(e -> e.add(pubsubCondition, Namespaces.PUBSUB_ERRORS));
        return reply;
    }
}
