package org.buddycloud.channels.xmpp.xml;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * Parses an XMPP stream as its bytes arrive (Aalto's non-blocking parser): the stream header,
 * then each top-level stanza as an {@link XmlElement}, then the end of the stream.
 *
 * <p>What a server facing the internet must refuse is refused here, as stream errors: DTDs,
 * entity declarations and references, comments and processing instructions
 * ({@code restricted-xml}); malformed XML and invalid UTF-8 ({@code not-well-formed}); stanzas
 * larger than {@code maxStanzaBytes} or nested deeper than {@code maxDepth} ({@code policy-violation}).
 */
public final class StreamParser {

    /** What the parser found. */
    public interface Listener {
        void streamOpened(XmlElement header) throws XmppStreamException;

        void stanza(XmlElement stanza) throws XmppStreamException;

        void streamClosed() throws XmppStreamException;
    }

    private static final AsyncXMLInputFactory FACTORY = factory();

    private final Listener listener;
    private final int maxStanzaBytes;
    private final int maxDepth;
    private AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
    private final Deque<XmlElement> open = new ArrayDeque<>();
    private long fed;
    private long stanzaStart = -1;

    public StreamParser(Listener listener, int maxStanzaBytes, int maxDepth) {
        this.listener = listener;
        this.maxStanzaBytes = maxStanzaBytes;
        this.maxDepth = maxDepth;
        restart();
    }

    /** A new stream begins on the same connection (after STARTTLS and after authentication). */
    public void restart() {
        reader = FACTORY.createAsyncForByteArray();
        open.clear();
        fed = 0;
        stanzaStart = -1;
    }

    public void feed(byte[] bytes, int offset, int length) throws XmppStreamException {
        try {
            reader.getInputFeeder().feedInput(bytes, offset, length);
            fed += length;
            drain();
        } catch (XMLStreamException | IllegalArgumentException e) {
            throw new XmppStreamException("not-well-formed", "not well-formed XML: " + firstLine(e.getMessage()));
        }
        if (stanzaStart >= 0 && fed - stanzaStart > maxStanzaBytes) {
            throw new XmppStreamException("policy-violation", "stanza larger than " + maxStanzaBytes + " bytes");
        }
    }

    private void drain() throws XMLStreamException, XmppStreamException {
        AsyncXMLStreamReader<AsyncByteArrayFeeder> current = reader;
        int event;
        while (current == reader && (event = current.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> start(current);
                case XMLStreamConstants.END_ELEMENT -> end(current);
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (open.size() > 1) {
                        open.peek().text(current.getText());
                    }
                }
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION,
                     XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION ->
                        throw new XmppStreamException("restricted-xml", "DTDs, entities, comments and processing instructions are not allowed");
                default -> {
                }
            }
        }
    }

    private void start(AsyncXMLStreamReader<AsyncByteArrayFeeder> r) throws XmppStreamException {
        if (open.size() >= maxDepth) {
            throw new XmppStreamException("policy-violation", "elements nested deeper than " + maxDepth);
        }
        XmlElement element = new XmlElement(r.getLocalName(), r.getNamespaceURI());
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String prefix = r.getAttributePrefix(i);
            String name = prefix == null || prefix.isEmpty() ? r.getAttributeLocalName(i) : prefix + ":" + r.getAttributeLocalName(i);
            element.attr(name, r.getAttributeValue(i));
        }
        if (open.isEmpty()) {
            open.push(element);
            listener.streamOpened(element);
            return;
        }
        if (open.size() == 1) {
            stanzaStart = r.getLocationInfo().getStartingByteOffset();
        } else {
            open.peek().append(element);
        }
        open.push(element);
    }

    private void end(AsyncXMLStreamReader<AsyncByteArrayFeeder> r) throws XmppStreamException, XMLStreamException {
        XmlElement element = open.pop();
        if (open.isEmpty()) {
            listener.streamClosed();
        } else if (open.size() == 1) {
            if (r.getLocationInfo().getEndingByteOffset() - stanzaStart > maxStanzaBytes) {
                throw new XmppStreamException("policy-violation", "stanza larger than " + maxStanzaBytes + " bytes");
            }
            stanzaStart = -1;
            listener.stanza(element);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static AsyncXMLInputFactory factory() {
        AsyncXMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return factory;
    }
}
