package org.buddycloud.xmppkit.component;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.buddycloud.xmppkit.StanzaReplies;
import org.buddycloud.xmppkit.XmppNamespaces;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * A component's IQ handlers, one per IQ type and child element: a request for a namespace the table
 * does not know is {@code service-unavailable} (RFC 6120 §8.4), a known namespace with an element or
 * type it has no handler for is {@code feature-not-implemented}. Service discovery (disco#info) is
 * answered from the table unless a handler for it is given: the identity, and each namespace as a feature.
 */
public final class IqTable implements ComponentHandler {

    private record Key(String type, String element, String namespace) {
    }

    private final String category;
    private final String type;
    private final String name;
    private final Map<Key, IqHandler> handlers = new LinkedHashMap<>();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private Consumer<XmlElement> messages;
    private Consumer<XmlElement> presences;

    private IqTable(String category, String type, String name) {
        this.category = category;
        this.type = type;
        this.name = name;
    }

    /** A table for a component with this XEP-0030 identity, e.g. {@code ("directory", "chatroom", "Channel directory")}. */
    public static IqTable of(String category, String type, String name) {
        return new IqTable(category, type, name);
    }

    public IqTable get(String element, String namespace, IqHandler handler) {
        return on("get", element, namespace, handler);
    }

    public IqTable set(String element, String namespace, IqHandler handler) {
        return on("set", element, namespace, handler);
    }

    /** Messages to the component; without this they are dropped. */
    public IqTable messages(Consumer<XmlElement> handler) {
        this.messages = handler;
        return this;
    }

    /** Presence to the component; without this it is ignored. */
    public IqTable presences(Consumer<XmlElement> handler) {
        this.presences = handler;
        return this;
    }

    private IqTable on(String iqType, String element, String namespace, IqHandler handler) {
        handlers.put(new Key(iqType, element, namespace), handler);
        namespaces.add(namespace);
        return this;
    }

    @Override
    public boolean stanza(XmlElement stanza, ComponentConnection connection) {
        switch (stanza.name()) {
            case "iq" -> {
                if (!StanzaReplies.isRequest(stanza)) {
                    // answers to requests of our own: nobody here waits for them
                    return true;
                }
                Optional<XmlElement> answer = answer(stanza);
                answer.ifPresent(connection::send);
                return true;
            }
            case "message" -> {
                return accept(messages, stanza);
            }
            case "presence" -> {
                return accept(presences, stanza);
            }
            default -> {
                return false;
            }
        }
    }

    /** The answer to an IQ request, empty when its handler answers later. */
    Optional<XmlElement> answer(XmlElement iq) {
        Optional<XmlElement> child = iq.firstElement();
        if (child.isEmpty()) {
            return Optional.of(StanzaReplies.error(iq, "modify", "bad-request", "an IQ request has one child element"));
        }
        XmlElement query = child.get();
        IqHandler handler = handlers.get(new Key(iq.attr("type"), query.name(), query.namespace()));
        if (handler != null) {
            return Optional.ofNullable(handler.answer(iq));
        }
        if (query.is("query", XmppNamespaces.DISCO_INFO) && "get".equals(iq.attr("type"))) {
            return Optional.of(discoInfo(iq, query));
        }
        if (namespaces.contains(query.namespace())) {
            return Optional.of(StanzaReplies.error(iq, "cancel", "feature-not-implemented", null));
        }
        return Optional.of(StanzaReplies.error(iq, "cancel", "service-unavailable", null));
    }

    private XmlElement discoInfo(XmlElement iq, XmlElement request) {
        XmlElement reply = StanzaReplies.result(iq);
        if (request.attr("node") != null) {
            return StanzaReplies.error(iq, "cancel", "item-not-found", null);
        }
        XmlElement query = reply.add("query", XmppNamespaces.DISCO_INFO);
        query.add("identity").attr("category", category).attr("type", type).attr("name", name);
        query.add("feature").attr("var", XmppNamespaces.DISCO_INFO);
        namespaces.forEach(namespace -> query.add("feature").attr("var", namespace));
        return reply;
    }

    private static boolean accept(Consumer<XmlElement> handler, XmlElement stanza) {
        if (handler == null) {
            return false;
        }
        handler.accept(stanza);
        return true;
    }
}
