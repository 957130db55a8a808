package org.buddycloud.xmppkit.xml;

/**
 * A stream-level error (RFC 6120 §4.9): the condition to send in {@code <stream:error>} before the
 * stream is closed, and a text for the client.
 */
public class XmppStreamException extends Exception {

    private final String condition;

    public XmppStreamException(String condition, String text) {
        super(text, null, false, false);
        this.condition = condition;
    }

    /** The RFC 6120 condition element name, e.g. {@code not-well-formed}, {@code policy-violation}. */
    public String condition() {
        return condition;
    }
}
