package org.buddycloud.channels.portability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLEventWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.StartElement;
import javax.xml.stream.events.XMLEvent;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Post;

/**
 * A node's items in an archive: an Atom feed written entry by entry as the posts are read, and read back entry by
 * entry, so that neither side holds a channel's history in memory. Entries are the ones the server keeps (global id,
 * author, times, thread); reading refuses DTDs and entities like every XML this server takes.
 */
final class AtomFeeds {

    private static final XMLInputFactory INPUT = input();
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();
    private static final javax.xml.stream.XMLEventFactory EVENTS = javax.xml.stream.XMLEventFactory.newFactory();

    private AtomFeeds() {
    }

    /** Writes a feed; {@link FeedWriter#add} each post, then close. */
    static FeedWriter writer(OutputStream out, AtomEntries entries, NodeName node) throws IOException {
        return new FeedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), entries, node);
    }

    static final class FeedWriter implements AutoCloseable {

        private final Writer out;
        private final AtomEntries entries;

        private FeedWriter(Writer out, AtomEntries entries, NodeName node) throws IOException {
            this.out = out;
            this.entries = entries;
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"" + AtomEntries.ATOM + "\">\n<title>");
            out.write(escape(node == null ? "posts" : node.toString()));
            out.write("</title>\n");
        }

        void add(Post post) throws IOException {
            out.write(entries.render(post));
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.write("</feed>\n");
            out.flush();
        }
    }

    /**
     * Each {@code <entry>} of the feed as a document of its own, in file order. A file that is not a well-formed Atom
     * feed is a broken archive.
     */
    static void forEachEntry(InputStream in, String path, Consumer<String> entry) {
        try {
            XMLEventReader reader = INPUT.createXMLEventReader(in, StandardCharsets.UTF_8.name());
            java.util.List<javax.xml.stream.events.Namespace> inherited = new java.util.ArrayList<>();
            int depth = 0;
            while (reader.hasNext()) {
                XMLEvent event = reader.nextEvent();
                if (event.getEventType() == XMLEvent.DTD || event.isEntityReference()) {
                    throw ArchiveReader.refused(path + " declares a DTD or uses entities, which are refused");
                }
                if (event.isStartElement()) {
                    depth++;
                    StartElement start = event.asStartElement();
                    if (depth == 1 && !isAtom(start, "feed")) {
                        throw ArchiveReader.refused(path + " is not an Atom feed");
                    }
                    if (depth == 1) {
                        start.getNamespaces().forEachRemaining(ns -> inherited.add((javax.xml.stream.events.Namespace) ns));
                    }
                    if (depth == 2 && isAtom(start, "entry")) {
                        entry.accept(copy(reader, withNamespaces(start, inherited)));
                        depth--;
                    }
                } else if (event.isEndElement()) {
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            throw ArchiveReader.refused(path + " is not well-formed XML (DTDs are refused): " + e.getMessage());
        }
    }

    private static boolean isAtom(StartElement element, String name) {
        return element.getName().getLocalPart().equals(name) && AtomEntries.ATOM.equals(element.getName().getNamespaceURI());
    }

    /** The entry's start with the feed's namespace declarations it does not make itself: as a document of its own it needs them. */
    private static StartElement withNamespaces(StartElement start, java.util.List<javax.xml.stream.events.Namespace> inherited) {
        java.util.Map<String, javax.xml.stream.events.Namespace> declared = new java.util.LinkedHashMap<>();
        inherited.forEach(ns -> declared.put(ns.getPrefix(), ns));
        start.getNamespaces().forEachRemaining(ns -> {
            javax.xml.stream.events.Namespace own = (javax.xml.stream.events.Namespace) ns;
            declared.put(own.getPrefix(), own);
        });
        return EVENTS.createStartElement(start.getName(), start.getAttributes(), declared.values().iterator());
    }

    /** The entry that {@code start} begins, up to its end. */
    private static String copy(XMLEventReader reader, XMLEvent start) throws XMLStreamException {
        StringWriter out = new StringWriter();
        XMLEventWriter writer = OUTPUT.createXMLEventWriter(out);
        writer.add(start);
        int depth = 1;
        while (depth > 0) {
            XMLEvent event = reader.nextEvent();
            if (event.isStartElement()) {
                depth++;
            } else if (event.isEndElement()) {
                depth--;
            }
            writer.add(event);
        }
        writer.close();
        return out.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static XMLInputFactory input() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return factory;
    }
}
