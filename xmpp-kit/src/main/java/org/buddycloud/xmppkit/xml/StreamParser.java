package org.buddycloud.xmppkit.xml;

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
 * The size limit holds for whatever is unfinished (a stanza, a start tag, the stream header) as soon
 * as it passes the limit, to within {@value #SLICE} bytes, not only once it is complete.
 *
 * <p>A parser made with {@link #skippingOversizedStanzas} instead skips a stanza that breaks a limit
 * and tells its listener, keeping the stream: for a link that carries many users' stanzas (the
 * component connection), where one user's stanza must not end everybody's service. Its content is
 * discarded as it arrives, so memory stays bounded; only a single token (a start tag, a run of text
 * the XML parser cannot split) larger than the limit, or a violation outside any stanza, still ends the stream.
 */
public final class StreamParser {

    /** What the parser found. */
    public interface Listener {
        void streamOpened(XmlElement header) throws XmppStreamException;

        void stanza(XmlElement stanza) throws XmppStreamException;

        void streamClosed() throws XmppStreamException;

        /**
         * A stanza that broke a limit ({@code policy-violation}) was skipped, only by a parser that skips
         * them: its name, namespace and attributes, without content, and why.
         */
        default void skipped(XmlElement stanza, String reason) throws XmppStreamException {
        }
    }

    private static final AsyncXMLInputFactory FACTORY = factory();
    /**
     * Input is handed to the parser in slices this large, so that what is still pending is known to
     * within a slice: Aalto's own byte offsets drift once input arrives in more than one piece.
     */
    private static final int SLICE = 1024;

    private final Listener listener;
    private final int maxStanzaBytes;
    private final int maxDepth;
    private final boolean skipOversized;
    private AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
    private final Deque<XmlElement> open = new ArrayDeque<>();
    private long fed;
    /** Bytes fed when the last thing at stream level (header, stanza, whitespace) was complete. */
    private long settled;
    /** Bytes fed when the parser last reported anything: what it holds back is at most {@code fed - progressed}. */
    private long progressed;
    /** The stanza being skipped (name and attributes only), or null. */
    private XmlElement skipping;
    private String skippedReason;
    /** Elements of the skipped stanza still open, itself included. */
    private int skippedDepth;

    public StreamParser(Listener listener, int maxStanzaBytes, int maxDepth) {
        this(listener, maxStanzaBytes, maxDepth, false);
    }

    private StreamParser(Listener listener, int maxStanzaBytes, int maxDepth, boolean skipOversized) {
        this.listener = listener;
        this.maxStanzaBytes = maxStanzaBytes;
        this.maxDepth = maxDepth;
        this.skipOversized = skipOversized;
        restart();
    }

    /** A parser that skips a stanza breaking a limit (see the class comment) instead of ending the stream. */
    public static StreamParser skippingOversizedStanzas(Listener listener, int maxStanzaBytes, int maxDepth) {
        return new StreamParser(listener, maxStanzaBytes, maxDepth, true);
    }

    /** A new stream begins on the same connection (after STARTTLS and after authentication). */
    public void restart() {
        reader = FACTORY.createAsyncForByteArray();
        open.clear();
        fed = 0;
        settled = 0;
        progressed = 0;
        skipping = null;
    }

    /**
     * Parses what arrived. Only what is wrong with the input is a stream error here; whatever the
     * listener throws is the listener's and propagates unchanged.
     */
    public void feed(byte[] bytes, int offset, int length) throws XmppStreamException {
        AsyncXMLStreamReader<AsyncByteArrayFeeder> current = reader;
        for (int at = offset; at < offset + length && current == reader; at += SLICE) {
            int slice = Math.min(SLICE, offset + length - at);
            try {
                current.getInputFeeder().feedInput(bytes, at, slice);
            } catch (XMLStreamException e) {
                throw notWellFormed(e);
            }
            fed += slice;
            drain(current);
            // an unfinished stanza (or header, or start tag) is buffered by the parser: bound it before it ends
            if (current == reader && fed - settled > maxStanzaBytes) {
                oversized();
            }
        }
    }

    private void drain(AsyncXMLStreamReader<AsyncByteArrayFeeder> current) throws XmppStreamException {
        while (current == reader) {
            Event event = next(current);
            if (event.type() == AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                return;
            }
            progressed = fed;
            if (skipping != null) {
                skipped(event.type());
                continue;
            }
            switch (event.type()) {
                case XMLStreamConstants.START_ELEMENT -> start(event.element());
                case XMLStreamConstants.END_ELEMENT -> end();
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (open.size() > 1) {
                        open.peek().text(event.text());
                    } else {
                        settled = fed;
                    }
                }
                default -> {
                }
            }
        }
    }

    /** What the parser found next; the parser's own failures become stream errors here and only here. */
    private Event next(AsyncXMLStreamReader<AsyncByteArrayFeeder> r) throws XmppStreamException {
        try {
            int type = r.next();
            return switch (type) {
                case XMLStreamConstants.START_ELEMENT -> new Event(type, element(r), null);
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        new Event(type, null, r.getText());
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION,
                     XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION ->
                        throw new XmppStreamException("restricted-xml",
                                "DTDs, entities, comments and processing instructions are not allowed");
                default -> new Event(type, null, null);
            };
        } catch (XMLStreamException | IllegalArgumentException e) {
            throw notWellFormed(e);
        }
    }

    private static XmlElement element(AsyncXMLStreamReader<AsyncByteArrayFeeder> r) {
        XmlElement element = new XmlElement(r.getLocalName(), r.getNamespaceURI());
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String prefix = r.getAttributePrefix(i);
            String name = prefix == null || prefix.isEmpty() ? r.getAttributeLocalName(i) : prefix + ":" + r.getAttributeLocalName(i);
            element.attr(name, r.getAttributeValue(i));
        }
        return element;
    }

    /** What is unfinished passed the size limit: the stream ends, or the stanza is skipped where this parser may. */
    private void oversized() throws XmppStreamException {
        // one token (a start tag, text the XML parser does not hand over in parts) is held back whole: it cannot be skipped
        boolean heldBack = fed - progressed > maxStanzaBytes;
        if (skipping != null && !heldBack) {
            return;
        }
        String reason = "stanza larger than " + maxStanzaBytes + " bytes";
        if (heldBack || !skippable()) {
            throw new XmppStreamException("policy-violation", reason);
        }
        skip(0, reason);
    }

    /** A stanza is open (not just the stream) and this parser skips rather than ends the stream. */
    private boolean skippable() {
        return skipOversized && open.size() > 1;
    }

    /**
     * From here on the open stanza is skipped: its content so far is let go, and what still comes of it
     * is only counted until its end tag ({@code opening} elements start beyond what is open).
     */
    private void skip(int opening, String reason) {
        // open holds, innermost first: the stanza's open descendants, the stanza, the stream header
        XmlElement header = open.removeLast();
        XmlElement stanza = open.removeLast();
        skippedDepth = open.size() + 1 + opening;
        open.clear();
        open.push(header);
        skipping = new XmlElement(stanza.name(), stanza.namespace());
        stanza.attributes().forEach(skipping::attr);
        skippedReason = reason;
    }

    private void skipped(int type) throws XmppStreamException {
        if (type == XMLStreamConstants.START_ELEMENT) {
            skippedDepth++;
        } else if (type == XMLStreamConstants.END_ELEMENT && --skippedDepth == 0) {
            XmlElement stanza = skipping;
            skipping = null;
            settled = fed;
            listener.skipped(stanza, skippedReason);
        }
    }

    private void start(XmlElement element) throws XmppStreamException {
        if (open.size() >= maxDepth) {
            String reason = "elements nested deeper than " + maxDepth;
            if (!skippable()) {
                throw new XmppStreamException("policy-violation", reason);
            }
            skip(1, reason);
            return;
        }
        if (open.isEmpty()) {
            open.push(element);
            settled = fed;
            listener.streamOpened(element);
            return;
        }
        if (open.size() > 1) {
            open.peek().append(element);
        }
        open.push(element);
    }

    private void end() throws XmppStreamException {
        XmlElement element = open.pop();
        if (open.isEmpty()) {
            listener.streamClosed();
        } else if (open.size() == 1) {
            settled = fed;
            listener.stanza(element);
        }
    }

    private static XmppStreamException notWellFormed(Exception e) {
        return new XmppStreamException("not-well-formed", "not well-formed XML: " + firstLine(e.getMessage()));
    }

    /** One parser event, read out of the parser before anyone else sees it. */
    private record Event(int type, XmlElement element, String text) {
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
