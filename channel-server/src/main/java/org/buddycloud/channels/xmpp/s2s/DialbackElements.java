package org.buddycloud.channels.xmpp.s2s;

import org.buddycloud.xmppkit.s2s.S2sNamespaces;
import org.buddycloud.xmppkit.xml.Xml;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Dialback's elements as written on the wire: with the {@code db:} prefix the stream header declares, which every
 * server reads (some older ones only that way), rather than a default namespace of their own.
 */
final class DialbackElements {

    private DialbackElements() {
    }

    static boolean isResult(XmlElement element) {
        return element.is("result", S2sNamespaces.DIALBACK);
    }

    static boolean isVerify(XmlElement element) {
        return element.is("verify", S2sNamespaces.DIALBACK);
    }

    /** The originating server's claim (XEP-0220 §2.1.1). */
    static String result(String from, String to, String key) {
        return "<db:result" + attr("from", from) + attr("to", to) + ">" + Xml.escapeText(key) + "</db:result>";
    }

    /** The receiving server's verdict on a claim (§2.1.4); {@code type} is valid or invalid. */
    static String resultVerdict(String from, String to, String type) {
        return "<db:result" + attr("from", from) + attr("to", to) + attr("type", type) + "/>";
    }

    /** The receiving server's question to the authoritative one (§2.1.2). */
    static String verify(String from, String to, String id, String key) {
        return "<db:verify" + attr("from", from) + attr("to", to) + attr("id", id) + ">" + Xml.escapeText(key) + "</db:verify>";
    }

    /** The authoritative server's answer (§2.1.3). */
    static String verifyAnswer(String from, String to, String id, boolean valid) {
        return "<db:verify" + attr("from", from) + attr("to", to) + attr("id", id) + attr("type", valid ? "valid" : "invalid") + "/>";
    }

    private static String attr(String name, String value) {
        return " " + name + "=\"" + Xml.escapeAttribute(value) + "\"";
    }
}
