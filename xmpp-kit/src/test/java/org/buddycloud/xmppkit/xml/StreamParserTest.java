package org.buddycloud.xmppkit.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamParserTest {

    private final List<String> events = new ArrayList<>();
    private final List<XmlElement> stanzas = new ArrayList<>();
    private final StreamParser parser = new StreamParser(new StreamParser.Listener() {
        @Override
        public void streamOpened(XmlElement header) {
            events.add("open " + header.attr("to"));
        }

        @Override
        public void stanza(XmlElement stanza) {
            stanzas.add(stanza);
            events.add("stanza " + stanza.name());
        }

        @Override
        public void streamClosed() {
            events.add("close");
        }
    }, 10_000, 8);

    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

    private void feed(String xml) throws XmppStreamException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
    }

    @Test
    void readsAStreamFedOneByteAtATime() throws XmppStreamException {
        byte[] bytes = (HEADER + "<message to='juliet@example.com' type='chat'><body>Grüße &amp; 👋</body></message> "
                + "<iq type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq></stream:stream>").getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            parser.feed(new byte[] {b}, 0, 1);
        }
        assertEquals(List.of("open example.com", "stanza message", "stanza iq", "close"), events);
        assertEquals("Grüße & 👋", stanzas.get(0).childText("body", "jabber:client").orElseThrow());
        assertTrue(stanzas.get(1).element("ping", "urn:xmpp:ping").isPresent());
        assertEquals("jabber:client", stanzas.get(0).namespace());
    }

    @Test
    void writesBackWhatItRead() throws XmppStreamException {
        feed(HEADER + "<message to='a@b' type='chat'><body>1 &lt; 2 &amp; \"q\"</body><x xmlns='urn:x' k='v&amp;w'/></message>");
        XmlElement again = parse(stanzas.get(0).toXml());
        assertEquals(stanzas.get(0).toXml(), again.toXml());
        assertEquals("v&w", again.element("x", "urn:x").orElseThrow().attr("k"));
    }

    @Test
    void refusesDoctypesEntitiesCommentsAndProcessingInstructions() {
        assertConditionIn(List.of("restricted-xml", "not-well-formed"), "<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY x 'y'>]>"
                + HEADER.substring(21));
        assertConditionIn(List.of("restricted-xml", "not-well-formed"), "<!DOCTYPE stream SYSTEM 'file:///etc/passwd'>" + HEADER.substring(21));
        assertCondition("restricted-xml", HEADER + "<!-- a comment -->");
        assertCondition("restricted-xml", HEADER + "<?pi data?>");
        assertConditionIn(List.of("not-well-formed", "restricted-xml"), HEADER + "<message><body>&xxe;</body></message>");
    }

    @Test
    void refusesTheBillionLaughs() {
        String laughs = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;'>]>"
                + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><message><body>&lol2;</body></message>";
        assertConditionIn(List.of("restricted-xml", "not-well-formed"), laughs);
    }

    @Test
    void refusesOversizedAndDeepStanzas() {
        assertCondition("policy-violation", HEADER + "<message><body>" + "x".repeat(20_000) + "</body></message>");
        assertCondition("policy-violation", HEADER + "<a><b><c><d><e><f><g><h><i/></h></g></f></e></d></c></b></a>");
    }

    @Test
    void refusesMalformedXmlAndInvalidUtf8() throws XmppStreamException {
        assertCondition("not-well-formed", HEADER + "<message><body></message>");
        parser.restart();
        feed(HEADER + "<message><body>");
        byte[] invalid = {(byte) 0xC3, (byte) 0x28};
        XmppStreamException e = assertThrows(XmppStreamException.class, () -> parser.feed(invalid, 0, invalid.length));
        assertEquals("not-well-formed", e.condition());
    }

    @Test
    void anUnfinishedStartTagCannotGrowPastTheLimit() throws XmppStreamException {
        feed(HEADER);
        feed("<message to='");
        String more = "x".repeat(1000);
        // fed the way a network delivers it: the limit holds long before the tag would end
        XmppStreamException e = assertThrows(XmppStreamException.class, () -> {
            for (int i = 0; i < 300; i++) {
                feed(more);
            }
        });
        assertEquals("policy-violation", e.condition());
    }

    @Test
    void anEndlessStreamHeaderIsRefused() {
        assertCondition("policy-violation", "<?xml version='1.0'?><stream:stream xmlns='jabber:client' to='" + "x".repeat(300_000));
    }

    @Test
    void stanzasAndWhitespaceKeepalivesBelowTheLimitAddUpToAnyLength() throws XmppStreamException {
        feed(HEADER);
        String stanza = "<message><body>" + "x".repeat(9_000) + "</body></message>";
        for (int i = 0; i < 20; i++) {
            feed(stanza);
            for (int space = 0; space < 100; space++) {
                feed(" ");
            }
        }
        for (int i = 0; i < 30_000; i++) {
            feed(" ");
        }
        feed("<iq type='get' id='1'/>");
        assertEquals(21, stanzas.size());
    }

    @Test
    void whatTheListenerThrowsIsNotBlamedOnTheXml() throws XmppStreamException {
        StreamParser failing = new StreamParser(new StreamParser.Listener() {
            @Override
            public void streamOpened(XmlElement header) {
            }

            @Override
            public void stanza(XmlElement stanza) {
                throw new IllegalArgumentException("a handler's bug");
            }

            @Override
            public void streamClosed() {
            }
        }, 10_000, 8);
        byte[] bytes = (HEADER + "<iq type='get' id='1'/>").getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> failing.feed(bytes, 0, bytes.length));
        assertEquals("a handler's bug", e.getMessage());
    }

    @Test
    void aSkippingParserSkipsADeepStanzaAndKeepsTheStream() throws XmppStreamException {
        List<String> skipped = new ArrayList<>();
        StreamParser skipping = StreamParser.skippingOversizedStanzas(recorder(skipped), 10_000, 8);
        String deep = "<a>".repeat(40) + "text" + "</a>".repeat(40);
        byte[] bytes = (HEADER + "<message id='deep' to='x@y'><body>" + deep + "</body></message><iq type='get' id='after'/>")
                .getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            skipping.feed(new byte[] {b}, 0, 1);
        }
        assertEquals(List.of("message deep: elements nested deeper than 8"), skipped);
        assertEquals(List.of("after"), stanzas.stream().map(s -> s.attr("id")).toList(), "the stream goes on after the skipped stanza");
    }

    @Test
    void aSkippingParserSkipsAnOversizedStanzaWithoutKeepingIt() throws XmppStreamException {
        List<String> skipped = new ArrayList<>();
        StreamParser skipping = StreamParser.skippingOversizedStanzas(recorder(skipped), 10_000, 8);
        byte[] head = (HEADER + "<iq type='set' id='big'><query xmlns='urn:x'>").getBytes(StandardCharsets.UTF_8);
        skipping.feed(head, 0, head.length);
        // many small elements: the parser hands each over, so the stanza can be skipped however long it is
        byte[] item = "<item>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</item>".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 5_000; i++) {
            skipping.feed(item, 0, item.length);
        }
        byte[] tail = "</query></iq><iq type='get' id='after'/>".getBytes(StandardCharsets.UTF_8);
        skipping.feed(tail, 0, tail.length);
        assertEquals(List.of("iq big: stanza larger than 10000 bytes"), skipped);
        assertEquals(List.of("after"), stanzas.stream().map(s -> s.attr("id")).toList());
    }

    @Test
    void aSkippingParserSkipsALongText() throws XmppStreamException {
        List<String> skipped = new ArrayList<>();
        StreamParser skipping = StreamParser.skippingOversizedStanzas(recorder(skipped), 10_000, 8);
        byte[] head = (HEADER + "<message id='long'><body>").getBytes(StandardCharsets.UTF_8);
        skipping.feed(head, 0, head.length);
        byte[] more = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 300; i++) {
            skipping.feed(more, 0, more.length);
        }
        byte[] tail = "</body></message><iq type='get' id='after'/>".getBytes(StandardCharsets.UTF_8);
        skipping.feed(tail, 0, tail.length);
        assertEquals(List.of("message long: stanza larger than 10000 bytes"), skipped);
        assertEquals(List.of("after"), stanzas.stream().map(s -> s.attr("id")).toList());
    }

    @Test
    void aSkippingParserStillEndsTheStreamForATokenItCannotSkip() throws XmppStreamException {
        StreamParser skipping = StreamParser.skippingOversizedStanzas(recorder(new ArrayList<>()), 10_000, 8);
        byte[] head = (HEADER + "<message to='").getBytes(StandardCharsets.UTF_8);
        skipping.feed(head, 0, head.length);
        byte[] more = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
        XmppStreamException e = assertThrows(XmppStreamException.class, () -> {
            for (int i = 0; i < 300; i++) {
                skipping.feed(more, 0, more.length);
            }
        });
        assertEquals("policy-violation", e.condition());
    }

    private StreamParser.Listener recorder(List<String> skipped) {
        return new StreamParser.Listener() {
            @Override
            public void streamOpened(XmlElement header) {
            }

            @Override
            public void stanza(XmlElement stanza) {
                stanzas.add(stanza);
            }

            @Override
            public void streamClosed() {
            }

            @Override
            public void skipped(XmlElement stanza, String reason) {
                assertTrue(stanza.elements().isEmpty(), "a skipped stanza's content is not kept");
                skipped.add(stanza.name() + " " + stanza.attr("id") + ": " + reason);
            }
        };
    }

    private void assertCondition(String condition, String xml) {
        assertConditionIn(List.of(condition), xml);
    }

    private void assertConditionIn(List<String> conditions, String xml) {
        parser.restart();
        XmppStreamException e = assertThrows(XmppStreamException.class, () -> feed(xml));
        assertTrue(conditions.contains(e.condition()), e.condition() + ": " + e.getMessage());
    }

    private static XmlElement parse(String stanza) throws XmppStreamException {
        List<XmlElement> found = new ArrayList<>();
        StreamParser p = new StreamParser(new StreamParser.Listener() {
            @Override
            public void streamOpened(XmlElement header) {
            }

            @Override
            public void stanza(XmlElement s) {
                found.add(s);
            }

            @Override
            public void streamClosed() {
            }
        }, 10_000, 8);
        byte[] bytes = (HEADER + stanza).getBytes(StandardCharsets.UTF_8);
        p.feed(bytes, 0, bytes.length);
        return found.get(0);
    }
}
