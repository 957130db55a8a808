package org.buddycloud.xmppkit.component;

import org.buddycloud.xmppkit.xml.XmlElement;

/** Answers one kind of IQ request. */
@FunctionalInterface
public interface IqHandler {

    /**
     * The answer to {@code iq}: a result or an error built with {@link org.buddycloud.xmppkit.StanzaReplies},
     * or null when the handler will send it later itself.
     */
    XmlElement answer(XmlElement iq);
}
