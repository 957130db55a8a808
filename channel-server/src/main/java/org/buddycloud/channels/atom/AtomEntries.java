package org.buddycloud.channels.atom;

import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PostDraft;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Posts as Atom/ActivityStreams entries (PROTOCOL.md §1.8): reading what clients send, and
 * writing the entry the server keeps and hands out — to REST clients as Atom, to XMPP clients
 * inside {@code <item>}.
 */
public final class AtomEntries {

    public static final String ATOM = "http://www.w3.org/2005/Atom";
    public static final String ACTIVITY = "http://activitystrea.ms/spec/1.0/";
    public static final String THREAD = "http://purl.org/syndication/thread/1.0";
    public static final String REVIEW = "http://activitystrea.ms/schema/1.0/review";
    public static final String GEOLOC = "http://jabber.org/protocol/geoloc";
    public static final String MEDIA = "http://buddycloud.org/v1/media";
    private static final String XHTML = "http://www.w3.org/1999/xhtml";
    private static final Set<String> KNOWN = Set.of(ATOM, ACTIVITY, THREAD, REVIEW, GEOLOC, MEDIA);
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private final String domain;

    public AtomEntries(String domain) {
        this.domain = domain;
    }

    /** Reads a client's Atom entry into a draft; the server decides author, times and object type. */
    public PostDraft parse(String xml) {
        Element entry = SafeXml.parse(xml).getDocumentElement();
        if (!"entry".equals(entry.getLocalName()) || !ATOM.equals(entry.getNamespaceURI())) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.ENTRY_ELEMENT_REQUIRED, "the payload must be an Atom <entry>");
        }
        Element content = child(entry, ATOM, "content");
        String type = content == null ? null : content.getAttribute("type");
        String text = content == null ? null : "xhtml".equals(type) ? xhtmlBody(content) : content.getTextContent();
        Element reply = child(entry, THREAD, "in-reply-to");
        Element target = child(entry, ACTIVITY, "target");
        Element rating = child(entry, REVIEW, "rating");
        return new PostDraft(textOf(child(entry, ATOM, "id")), textOf(child(entry, ATOM, "title")), text,
                type == null || type.isEmpty() ? null : type, reply == null ? null : reply.getAttribute("ref"),
                rating == null ? null : rating.getTextContent(), target == null ? null : textOf(child(target, ATOM, "id")),
                geoloc(child(entry, GEOLOC, "geoloc")), media(child(entry, MEDIA, "media")), extensions(entry));
    }

    /** An entry as another domain's channel server rewrote it: what its author wrote, with the author and times it gave. */
    public record RemoteEntry(PostDraft draft, Jid author, Instant published, Instant updated) {
    }

    /**
     * Reads an entry of another domain's node for our copy (the inbox), validated as Atom as a client's is; refused
     * (bad-request) without an author JID ({@code acct:} URI or name) or its times.
     */
    public RemoteEntry parseRemote(String xml) {
        PostDraft draft = parse(xml);
        Element entry = SafeXml.parse(xml).getDocumentElement();
        Element author = child(entry, ATOM, "author");
        String uri = author == null ? null : textOf(child(author, ATOM, "uri"));
        String name = author == null ? null : textOf(child(author, ATOM, "name"));
        String jid = uri != null && uri.startsWith("acct:") ? uri.substring("acct:".length()) : name;
        try {
            return new RemoteEntry(draft, Jid.parse(jid == null ? "" : jid).toBare(), instant(entry, "published"), instant(entry, "updated"));
        } catch (InvalidJidException e) {
            throw new DomainException(Condition.BAD_REQUEST, "the entry's author is not a JID: " + jid);
        }
    }

    private static Instant instant(Element entry, String name) {
        String text = textOf(child(entry, ATOM, name));
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            throw new DomainException(Condition.BAD_REQUEST, "the entry's " + name + " is not a time: " + text);
        }
    }

    /**
     * The entry a client would publish for {@code draft} (what a REST caller sent, sent on to another domain's channel
     * server, which rewrites it as we do ours): title, content, reply, rating and its target, place, media.
     */
    public String request(PostDraft draft) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out);
            xml.writeStartElement("entry");
            xml.writeDefaultNamespace(ATOM);
            xml.writeNamespace("activity", ACTIVITY);
            xml.writeNamespace("thr", THREAD);
            if (draft.title() != null) {
                element(xml, "title", draft.title());
            }
            xml.writeStartElement("content");
            xml.writeAttribute("type", draft.contentType() == null ? "text" : draft.contentType());
            if ("xhtml".equals(draft.contentType())) {
                checkXhtml(draft.content());
                xml.writeStartElement("div");
                xml.writeDefaultNamespace(XHTML);
                xml.flush();
                raw(xml, out, draft.content());
                xml.writeEndElement();
            } else {
                xml.writeCharacters(draft.content() == null ? "" : draft.content());
            }
            xml.writeEndElement();
            writeThread(xml, draft.inReplyTo(), draft.targetId(), draft.rating());
            writeGeoloc(xml, draft.geoloc());
            writeMedia(xml, draft.media());
            xml.writeEndElement();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write an entry", e);
        }
        return out.toString();
    }

    /** The entry the server keeps for a post, with its global id, author and ActivityStreams data. */
    public String render(Post post) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out);
            writeEntry(xml, out, post);
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the entry of " + post.id(), e);
        }
        return out.toString();
    }

    /** Refuses XHTML content that is not a well-formed fragment (it is written into entries as markup). */
    public static void checkXhtml(String content) {
        SafeXml.parse("<div xmlns='" + XHTML + "'>" + content + "</div>");
    }

    /** An Atom feed of the node's posts, in the order given (newest first). */
    public String feed(NodeName node, String serviceJid, List<Post> posts) {
        StringBuilder feed = new StringBuilder(256 + posts.size() * 512);
        StringWriter head = new StringWriter();
        try {
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(head);
            xml.writeStartElement("feed");
            xml.writeDefaultNamespace(ATOM);
            element(xml, "title", node.channel() + " " + node.type());
            element(xml, "id", "xmpp:" + serviceJid + "?pubsub;action=retrieve;node=" + node);
            element(xml, "updated", (posts.isEmpty() ? Instant.EPOCH : posts.get(0).updated()).toString());
            xml.writeCharacters("");
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the feed of " + node, e);
        }
        feed.append(head);
        posts.forEach(post -> feed.append(render(post)));
        return feed.append("</feed>").toString();
    }

    private void writeEntry(XMLStreamWriter xml, StringWriter out, Post post) throws XMLStreamException {
        xml.writeStartElement("entry");
        xml.writeDefaultNamespace(ATOM);
        xml.writeNamespace("activity", ACTIVITY);
        xml.writeNamespace("thr", THREAD);
        element(xml, "id", post.globalId(domain));
        element(xml, "title", post.title());
        // an XEP-0080 location is an Atom text naming the place, with the <geoloc/> as published beside it
        boolean location = post.contentType() == Post.ContentType.GEOLOC;
        xml.writeStartElement("content");
        xml.writeAttribute("type", location ? Post.ContentType.TEXT.wireName() : post.contentType().wireName());
        if (location) {
            xml.writeCharacters(place(post.geoloc()));
        } else if (post.contentType() == Post.ContentType.XHTML) {
            xml.writeStartElement("div");
            xml.writeDefaultNamespace(XHTML);
            raw(xml, out, post.content());
            xml.writeEndElement();
        } else {
            xml.writeCharacters(post.content());
        }
        xml.writeEndElement();
        element(xml, "published", post.published().toString());
        element(xml, "updated", post.updated().toString());
        xml.writeStartElement("author");
        element(xml, "name", post.author().toString());
        element(xml, "uri", "acct:" + post.author());
        xml.writeStartElement(ACTIVITY, "object-type");
        xml.writeCharacters("person");
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeStartElement(ACTIVITY, "verb");
        xml.writeCharacters(post.verb());
        xml.writeEndElement();
        xml.writeStartElement(ACTIVITY, "object");
        xml.writeStartElement(ACTIVITY, "object-type");
        xml.writeCharacters(post.objectType());
        xml.writeEndElement();
        xml.writeEndElement();
        writeThread(xml, post.inReplyTo(), post.targetId(), post.rating() == null ? null : post.rating().toString());
        if (location) {
            raw(xml, out, post.content());
        } else {
            writeGeoloc(xml, post.geoloc());
        }
        writeMedia(xml, post.media());
        if (post.extensions() != null) {
            raw(xml, out, post.extensions());
        }
        xml.writeEndElement();
    }

    /** Where an entry stands in its thread: the post it replies to, the one it refers to, the rating it gives (each if any). */
    private static void writeThread(XMLStreamWriter xml, String inReplyTo, String targetId, String rating) throws XMLStreamException {
        if (inReplyTo != null) {
            xml.writeEmptyElement(THREAD, "in-reply-to");
            xml.writeAttribute("ref", inReplyTo);
        }
        if (targetId != null) {
            xml.writeStartElement(ACTIVITY, "target");
            element(xml, "id", targetId);
            xml.writeEndElement();
        }
        if (rating != null) {
            xml.writeStartElement("review", "rating", REVIEW);
            xml.writeNamespace("review", REVIEW);
            xml.writeCharacters(rating);
            xml.writeEndElement();
        }
    }

    /** Markup that was parsed and re-serialised by {@link SafeXml} (so well-formed), written as it is. */
    private static void raw(XMLStreamWriter xml, StringWriter out, String markup) throws XMLStreamException {
        xml.writeCharacters("");
        xml.flush();
        out.write(markup);
    }

    private static String place(Post.Geoloc geoloc) {
        if (geoloc != null && geoloc.text() != null) {
            return geoloc.text();
        }
        return geoloc != null && geoloc.lat() != null && geoloc.lon() != null ? geoloc.lat() + ", " + geoloc.lon() : "a location";
    }

    private static void writeGeoloc(XMLStreamWriter xml, Post.Geoloc geoloc) throws XMLStreamException {
        if (geoloc == null) {
            return;
        }
        xml.writeStartElement("geoloc");
        xml.writeDefaultNamespace(GEOLOC);
        if (geoloc.lat() != null) {
            element(xml, "lat", geoloc.lat().toString());
        }
        if (geoloc.lon() != null) {
            element(xml, "lon", geoloc.lon().toString());
        }
        if (geoloc.text() != null) {
            element(xml, "text", geoloc.text());
        }
        xml.writeEndElement();
    }

    private static void writeMedia(XMLStreamWriter xml, List<Post.MediaRef> media) throws XMLStreamException {
        if (media.isEmpty()) {
            return;
        }
        xml.writeStartElement("bcm", "media", MEDIA);
        xml.writeNamespace("bcm", MEDIA);
        for (Post.MediaRef ref : media) {
            xml.writeEmptyElement(MEDIA, "item");
            xml.writeAttribute("id", ref.id());
            xml.writeAttribute("channel", ref.channel().toString());
        }
        xml.writeEndElement();
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    private static Post.Geoloc geoloc(Element geoloc) {
        if (geoloc == null) {
            return null;
        }
        return new Post.Geoloc(number(child(geoloc, GEOLOC, "lat")), number(child(geoloc, GEOLOC, "lon")), textOf(child(geoloc, GEOLOC, "text")));
    }

    private static List<Post.MediaRef> media(Element media) {
        List<Post.MediaRef> refs = new ArrayList<>();
        if (media == null) {
            return refs;
        }
        NodeList items = media.getElementsByTagNameNS(MEDIA, "item");
        for (int i = 0; i < items.getLength(); i++) {
            Element item = (Element) items.item(i);
            try {
                refs.add(new Post.MediaRef(Jid.parse(item.getAttribute("channel")), item.getAttribute("id")));
            } catch (InvalidJidException e) {
                throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID, "a media item names no valid channel");
            }
        }
        return refs;
    }

    /** Elements of namespaces we do not interpret travel with the post unchanged. */
    private static String extensions(Element entry) {
        StringBuilder kept = new StringBuilder();
        for (Node node = entry.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && !KNOWN.contains(element.getNamespaceURI())) {
                kept.append(SafeXml.write(element));
            }
        }
        return kept.isEmpty() ? null : kept.toString();
    }

    private static String xhtmlBody(Element content) {
        StringBuilder body = new StringBuilder();
        Element div = child(content, XHTML, "div");
        Node container = div == null ? content : div;
        for (Node node = container.getFirstChild(); node != null; node = node.getNextSibling()) {
            body.append(node.getNodeType() == Node.TEXT_NODE ? escape(node.getTextContent()) : fragment(node));
        }
        return body.toString();
    }

    /**
     * An element of the body as the author wrote it: the XHTML namespace it is in is the one of the {@code <div>} the
     * content is always written in, so it is not declared on the element again (a post read back from its own entry —
     * an archive, another domain's copy — keeps the content it had).
     */
    private static String fragment(Node node) {
        String xml = SafeXml.write(node);
        return XHTML.equals(node.getNamespaceURI()) && node.getPrefix() == null
                ? xml.replaceFirst("^(<[^\\s>/]+) xmlns=\"" + java.util.regex.Pattern.quote(XHTML) + "\"", "$1") : xml;
    }

    private static Double number(Element element) {
        String text = textOf(element);
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text);
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, "geoloc coordinates are numbers: " + text);
        }
    }

    private static Element child(Element parent, String namespace, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName()) && namespace.equals(element.getNamespaceURI())) {
                return element;
            }
        }
        return null;
    }

    private static String textOf(Element element) {
        if (element == null) {
            return null;
        }
        String text = element.getTextContent().trim();
        return text.isEmpty() ? null : text;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
