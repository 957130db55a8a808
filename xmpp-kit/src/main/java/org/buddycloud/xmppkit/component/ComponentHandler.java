package org.buddycloud.xmppkit.component;

import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * What a component does with what the server routes to it. Every method runs on the executor the
 * connection was given, one call at a time and in the order the stanzas arrived, so a handler may
 * block (on its store, on another service) without holding up the network.
 *
 * <p>Stanzas arrive in {@code jabber:client}, as a client library would show them, whatever the
 * stream's namespace; replies are sent the same way with {@link ComponentConnection#send}.
 */
public interface ComponentHandler {

    /**
     * Handles one stanza addressed to the component's domain (or a JID at it). Returns false when
     * the component does not know what to do with it: an IQ request is then answered with
     * {@code service-unavailable} (RFC 6120 §8.4), anything else is dropped. A handler that throws
     * gets its IQ request answered with {@code internal-server-error}.
     */
    boolean stanza(XmlElement stanza, ComponentConnection connection);

    /** The server accepted the handshake: stanzas flow (again, after a reconnection). */
    default void online(ComponentConnection connection) {
    }

    /** The link is gone; the connection retries by itself. */
    default void offline(String reason) {
    }

    /**
     * A stanza over the size or depth limit was skipped (only with {@code skipOversizedStanzas}): its
     * name and attributes, without content, so that its sender can be told.
     */
    default void skipped(XmlElement stanza, String reason, ComponentConnection connection) {
    }

    /** A stanza was dropped because the server does not read what was written before (called on the sending thread). */
    default void dropped(XmlElement stanza) {
    }
}
