package org.buddycloud.xmppkit.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One complete element from text (a RFC 7395 WebSocket frame, a stored stanza), parsed with the same
 * limits and refusals as a stream.
 */
public final class Fragments {

    private static final byte[] OPEN = "<frame>".getBytes(StandardCharsets.UTF_8);

    private Fragments() {
    }

    public static XmlElement parse(String frame, int maxBytes, int maxDepth) throws XmppStreamException {
        List<XmlElement> elements = new ArrayList<>();
        StreamParser parser = new StreamParser(new StreamParser.Listener() {
            @Override
            public void streamOpened(XmlElement header) {
            }

            @Override
            public void stanza(XmlElement stanza) {
                elements.add(stanza);
            }

            @Override
            public void streamClosed() {
            }
        }, maxBytes, maxDepth + 1);
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        parser.feed(OPEN, 0, OPEN.length);
        parser.feed(bytes, 0, bytes.length);
        if (elements.size() != 1) {
            throw new XmppStreamException("not-well-formed", "expected exactly one complete element");
        }
        return elements.get(0);
    }
}
