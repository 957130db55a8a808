package org.buddycloud.xmppkit;

import org.buddycloud.xmppkit.xml.XmlElement;

/** Answers to a stanza (RFC 6120 §8.2.3, §8.3): addresses swapped, the id kept. */
public final class StanzaReplies {

    private StanzaReplies() {
    }

    /** An empty IQ result to {@code iq}; add the payload to it. */
    public static XmlElement result(XmlElement iq) {
        return XmlElement.of("iq", iq.namespace()).attr("type", "result").attr("id", iq.attr("id"))
                .attr("to", iq.attr("from")).attr("from", iq.attr("to"));
    }

    /** An error reply with a defined condition ({@code service-unavailable}, ...) of type {@code cancel}, {@code modify}, ... */
    public static XmlElement error(XmlElement stanza, String type, String condition, String text) {
        XmlElement reply = XmlElement.of(stanza.name(), stanza.namespace()).attr("type", "error").attr("id", stanza.attr("id"))
                .attr("to", stanza.attr("from")).attr("from", stanza.attr("to"));
        XmlElement error = reply.add("error").attr("type", type);
        error.add(condition, XmppNamespaces.STANZA_ERRORS);
        if (text != null) {
            error.add("text", XmppNamespaces.STANZA_ERRORS).text(text);
        }
        return reply;
    }

    /** An IQ of type get or set, which must be answered (RFC 6120 §8.2.3). */
    public static boolean isRequest(XmlElement stanza) {
        String type = stanza.attr("type");
        return stanza.name().equals("iq") && ("get".equals(type) || "set".equals(type));
    }

    /** The text of a {@code <stream:error>} with its condition, for a stream that declared the {@code stream} prefix. */
    public static String streamError(String condition, String text) {
        return "<stream:error>" + XmlElement.of(condition, XmppNamespaces.STREAM_ERRORS).toXml()
                + (text == null ? "" : XmlElement.of("text", XmppNamespaces.STREAM_ERRORS).text(text).toXml()) + "</stream:error>";
    }
}
