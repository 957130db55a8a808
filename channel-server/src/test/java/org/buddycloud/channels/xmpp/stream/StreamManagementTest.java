package org.buddycloud.channels.xmpp.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.buddycloud.channels.xmpp.stream.UnacknowledgedStanzas.Stanza;
import org.junit.jupiter.api.Test;

/** The counters and the queue of XEP-0198, without a connection. */
class StreamManagementTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static StreamManagement sm(int maxStanzas, long maxBytes) {
        return new StreamManagement("id", maxStanzas, maxBytes, 5);
    }

    private static List<String> xml(List<Stanza> stanzas) {
        return stanzas.stream().map(Stanza::xml).toList();
    }

    @Test
    void anAcknowledgementForgetsWhatItCoversAndKeepsTheRestInOrder() {
        StreamManagement sm = sm(100, 1 << 20);
        for (String stanza : List.of("<one/>", "<two/>", "<three/>")) {
            assertTrue(sm.sent(stanza, NOW));
        }
        assertEquals(StreamManagement.Ack.OK, sm.acknowledge(1));
        assertEquals(List.of("<two/>", "<three/>"), xml(sm.unacked()));
        assertEquals(StreamManagement.Ack.OK, sm.acknowledge(1), "the same h again changes nothing");
        assertEquals(StreamManagement.Ack.OK, sm.acknowledge(3));
        assertEquals(0, sm.unackedCount());
    }

    @Test
    void anAcknowledgementOfMoreThanWasSentIsRefused() {
        StreamManagement sm = sm(100, 1 << 20);
        sm.sent("<one/>", NOW);
        assertEquals(StreamManagement.Ack.TOO_HIGH, sm.acknowledge(2));
        assertEquals(1, sm.unackedCount(), "nothing was forgotten");
    }

    @Test
    void countsWrapAroundAt2To32() {
        StreamManagement sm = sm(100, 1 << 20);
        // a client acknowledging 2^32 - 1 stanzas first, as if that many had been sent and acknowledged before
        long last = (1L << 32) - 1;
        for (int i = 0; i < 3; i++) {
            sm.sent("<s" + i + "/>", NOW);
        }
        assertEquals(StreamManagement.Ack.OK, sm.acknowledge(2));
        assertEquals(StreamManagement.Ack.TOO_HIGH, sm.acknowledge(last), "h going backwards is h far ahead, modulo 2^32");
        assertEquals(1, sm.unackedCount());
        for (int i = 0; i < 5; i++) {
            sm.handled();
        }
        assertEquals(5, sm.handledCount());
        assertEquals(last, StreamManagement.parseCount(Long.toString(last)));
    }

    @Test
    void theQueueIsBoundedByCountAndBySize() {
        StreamManagement byCount = sm(2, 1 << 20);
        assertTrue(byCount.sent("<a/>", NOW));
        assertTrue(byCount.sent("<b/>", NOW));
        assertFalse(byCount.sent("<c/>", NOW), "a third unacknowledged stanza is one too many");
        StreamManagement bySize = sm(100, 10);
        assertTrue(bySize.sent("<twelve-chars/>".substring(0, 10), NOW));
        assertFalse(bySize.sent("<x/>", NOW));
        bySize.acknowledge(2);
        assertTrue(bySize.sent("<x/>", NOW), "acknowledged stanzas no longer count against the bound");
    }

    @Test
    void theClientIsAskedAfterEveryFewStanzasAndForAnyLeftWaiting() {
        StreamManagement sm = sm(100, 1 << 20);
        for (int i = 1; i <= 4; i++) {
            sm.sent("<s/>", NOW);
            assertFalse(sm.shouldRequest(), "not after " + i);
        }
        sm.sent("<s/>", NOW);
        assertTrue(sm.shouldRequest(), "after the fifth");
        assertFalse(sm.requestPending(), "nothing sent since that request");
        sm.sent("<s/>", NOW);
        assertTrue(sm.requestPending(), "one more waits: the delayed request asks for it");
        sm.acknowledge(6);
        sm.sent("<s/>", NOW);
        sm.acknowledge(7);
        assertFalse(sm.requestPending(), "nothing waits");
    }

    @Test
    void whatWasNotAcknowledgedIsHandedOnOnce() {
        StreamManagement sm = sm(100, 1 << 20);
        sm.sent("<one/>", NOW);
        sm.sent("<two/>", NOW.plusSeconds(1));
        assertEquals(List.of(new Stanza("<one/>", NOW), new Stanza("<two/>", NOW.plusSeconds(1))), sm.drain());
        assertEquals(List.of(), sm.drain());
    }
}
