package org.buddycloud.search;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.impl.JidCreate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** A Smack client asking the directory: a query IQ of any namespace, and its answer as a DOM to read. */
final class DirectoryXmpp {

    private DirectoryXmpp() {
    }

    /** {@code <query xmlns='ns'>inner</query>} as an IQ get. */
    static final class Query extends IQ {
        private final String inner;

        Query(String to, String namespace, String inner) throws Exception {
            super("query", namespace);
            this.inner = inner;
            setType(Type.get);
            setTo(JidCreate.from(to));
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.rightAngleBracket();
            xml.append(inner);
            return xml;
        }
    }

    /** Asks and answers the result's {@code <query/>}; an error answer throws Smack's XMPPErrorException. */
    static Element ask(XMPPTCPConnection connection, String namespace, String inner) throws Exception {
        IQ answer = connection.sendIqRequestAndWaitForResponse(new Query(SearchTestStack.DIRECTORY, namespace, inner));
        String xml = answer instanceof UnparsedIQ unparsed ? unparsed.getContent().toString() : answer.getChildElementXML().toString();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        return document.getDocumentElement();
    }

    /** The items' attribute {@code name}, in order. */
    static List<String> items(Element query, String attribute) {
        List<String> values = new ArrayList<>();
        NodeList items = query.getElementsByTagName("item");
        for (int i = 0; i < items.getLength(); i++) {
            values.add(((Element) items.item(i)).getAttribute(attribute));
        }
        return values;
    }

    /** The text of the first descendant element named {@code name}, or null. */
    static String text(Element element, String name) {
        NodeList found = element.getElementsByTagName(name);
        return found.getLength() == 0 ? null : found.item(0).getTextContent();
    }
}
