package org.buddycloud.xmppkit.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An XML element of an XMPP stream: name, namespace, attributes and children (elements and text),
 * built by the stream parser or by handlers, written back with {@link #toXml()}. Small on purpose:
 * stanzas are small, and a tree is what handlers want to look at.
 */
public final class XmlElement {

    private final String name;
    private final String namespace;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<Object> children = new ArrayList<>();

    public XmlElement(String name, String namespace) {
        this.name = name;
        this.namespace = namespace == null ? "" : namespace;
    }

    public static XmlElement of(String name, String namespace) {
        return new XmlElement(name, namespace);
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public boolean is(String elementName, String elementNamespace) {
        return name.equals(elementName) && namespace.equals(elementNamespace);
    }

    /** Sets an attribute (a null value removes it); returns this element. */
    public XmlElement attr(String key, Object value) {
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value.toString());
        }
        return this;
    }

    public String attr(String key) {
        return attributes.get(key);
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    /** Adds a child element and returns it (to build nested content). */
    public XmlElement add(String childName, String childNamespace) {
        XmlElement child = new XmlElement(childName, childNamespace == null ? namespace : childNamespace);
        children.add(child);
        return child;
    }

    /** Adds a child element in this element's namespace and returns it. */
    public XmlElement add(String childName) {
        return add(childName, namespace);
    }

    /** Appends an existing element; returns this element. */
    public XmlElement append(XmlElement child) {
        if (child != null) {
            children.add(child);
        }
        return this;
    }

    /**
     * Appends markup written verbatim: only for XML this server produced itself (a stored Atom
     * entry), never for client input. Returns this element.
     */
    public XmlElement appendTrusted(String markup) {
        children.add(new Trusted(markup));
        return this;
    }

    private record Trusted(String markup) {
    }

    /** Appends text; returns this element. */
    public XmlElement text(String text) {
        if (text != null && !text.isEmpty()) {
            children.add(text);
        }
        return this;
    }

    /** Adds {@code <childName>text</childName>}; returns this element. */
    public XmlElement addText(String childName, String text) {
        add(childName).text(text);
        return this;
    }

    public List<XmlElement> elements() {
        List<XmlElement> elements = new ArrayList<>();
        for (Object child : children) {
            if (child instanceof XmlElement element) {
                elements.add(element);
            }
        }
        return elements;
    }

    public List<XmlElement> elements(String childName, String childNamespace) {
        return elements().stream().filter(e -> e.is(childName, childNamespace)).toList();
    }

    public Optional<XmlElement> element(String childName, String childNamespace) {
        return elements().stream().filter(e -> e.is(childName, childNamespace)).findFirst();
    }

    /** The first child element in any namespace, if there is one. */
    public Optional<XmlElement> firstElement() {
        return elements().stream().findFirst();
    }

    /** The concatenated text directly inside this element. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (Object child : children) {
            if (child instanceof String s) {
                text.append(s);
            }
        }
        return text.toString();
    }

    /** The text of a child element, if it exists. */
    public Optional<String> childText(String childName, String childNamespace) {
        return element(childName, childNamespace).map(XmlElement::text);
    }

    public String toXml() {
        StringBuilder out = new StringBuilder(256);
        write(out, null);
        return out.toString();
    }

    /**
     * Serialised as a stanza of another stream's namespace ({@code jabber:client} stanzas sent on a
     * {@code jabber:component:accept} stream): elements in this element's namespace take the stream's.
     */
    public String toXml(String streamNamespace) {
        return namespace.equals(streamNamespace) ? toXml() : renamed(namespace, streamNamespace).toXml();
    }

    /** A copy with the elements of namespace {@code from} moved to {@code to} (a component stream's stanzas as client ones). */
    public XmlElement inNamespace(String from, String to) {
        return renamed(from, to);
    }

    /**
     * A copy with the stanza and its own children (body, subject, error, …) moved from namespace {@code from} to
     * {@code to}, and nothing deeper: a stanza carried inside it (a forwarded message, XEP-0297) keeps its own
     * {@code jabber:client}, as RFC 6120 §4.8.3 asks of server streams.
     */
    public XmlElement stanzaInNamespace(String from, String to) {
        XmlElement copy = new XmlElement(name, namespace.equals(from) ? to : namespace);
        copy.attributes.putAll(attributes);
        for (Object child : children) {
            if (child instanceof XmlElement element && element.namespace.equals(from)) {
                XmlElement moved = new XmlElement(element.name, to);
                moved.attributes.putAll(element.attributes);
                moved.children.addAll(element.children);
                copy.children.add(moved);
            } else {
                copy.children.add(child);
            }
        }
        return copy;
    }

    private XmlElement renamed(String from, String to) {
        XmlElement copy = new XmlElement(name, namespace.equals(from) ? to : namespace);
        copy.attributes.putAll(attributes);
        for (Object child : children) {
            copy.children.add(child instanceof XmlElement element ? element.renamed(from, to) : child);
        }
        return copy;
    }

    /** Serialises with the namespace declared where it differs from the parent's. */
    void write(StringBuilder out, String parentNamespace) {
        out.append('<').append(name);
        if (!namespace.equals(parentNamespace)) {
            out.append(" xmlns=\"").append(Xml.escapeAttribute(namespace)).append('"');
        }
        attributes.forEach((key, value) -> out.append(' ').append(key).append("=\"").append(Xml.escapeAttribute(value)).append('"'));
        if (children.isEmpty()) {
            out.append("/>");
            return;
        }
        out.append('>');
        for (Object child : children) {
            if (child instanceof XmlElement element) {
                element.write(out, namespace);
            } else if (child instanceof Trusted trusted) {
                out.append(trusted.markup());
            } else {
                out.append(Xml.escapeText((String) child));
            }
        }
        out.append("</").append(name).append('>');
    }

    /** The opening tag only, as in an XMPP stream header, with the given prefix declarations. */
    public String openingTag(String prefix, Map<String, String> namespaces) {
        StringBuilder out = new StringBuilder("<").append(prefix == null ? name : prefix + ":" + name);
        namespaces.forEach((p, ns) -> out.append(p.isEmpty() ? " xmlns=\"" : " xmlns:" + p + "=\"").append(Xml.escapeAttribute(ns)).append('"'));
        attributes.forEach((key, value) -> out.append(' ').append(key).append("=\"").append(Xml.escapeAttribute(value)).append('"'));
        return out.append('>').toString();
    }

    @Override
    public String toString() {
        return toXml();
    }
}
