package org.buddycloud.channels.xmpp.pubsub;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * The pubsub requests handled, as a table like Prosody's mod_pubsub keeps ({@code handlers["get_items"]},
 * {@code handlers["set_publish"]}): one handler per IQ type, namespace and request element. A request that is only
 * handled as a set is refused as such when it comes as a get; one not in the table at all is unsupported.
 */
final class PubSubHandlers {

    /**
     * One request: the IQ, its {@code <pubsub/>} (whose other children qualify the request: RSM, configure), the
     * request element, and who asks.
     */
    record Request(XmlElement iq, XmlElement pubsub, XmlElement element, Actor actor) {
    }

    /** The answer to one kind of request: the {@code <pubsub/>} of the result, or null for an empty result. */
    @FunctionalInterface
    interface Handler {
        XmlElement handle(Request request);
    }

    private record Key(String type, String namespace, String name) {
    }

    private final Map<Key, Handler> handlers = new HashMap<>();
    private final Function<XmlElement, DomainException> unsupported;

    /** {@code unsupported}: the refusal of a request element that is not in the table. */
    PubSubHandlers(Function<XmlElement, DomainException> unsupported) {
        this.unsupported = unsupported;
    }

    /** A request that changes something: an IQ of type set. */
    PubSubHandlers set(String namespace, String name, Handler handler) {
        handlers.put(new Key("set", namespace, name), handler);
        return this;
    }

    PubSubHandlers get(String namespace, String name, Handler handler) {
        handlers.put(new Key("get", namespace, name), handler);
        return this;
    }

    /** A query that is answered the same whatever the IQ's type. */
    PubSubHandlers getOrSet(String namespace, String name, Handler handler) {
        return get(namespace, name, handler).set(namespace, name, handler);
    }

    /** The result of {@code request}, read in {@code namespace}, from its handler. */
    XmlElement handle(String namespace, Request request) {
        String type = "set".equals(request.iq().attr("type")) ? "set" : "get";
        String name = request.element().name();
        Handler handler = handlers.get(new Key(type, namespace, name));
        if (handler == null && handlers.containsKey(new Key("set", namespace, name))) {
            throw new DomainException(Condition.BAD_REQUEST, "this request is an IQ of type set");
        }
        if (handler == null) {
            throw unsupported.apply(request.element());
        }
        XmlElement payload = handler.handle(request);
        XmlElement reply = Stanzas.result(request.iq());
        return payload == null ? reply : reply.append(payload);
    }
}
