package org.buddycloud.channels.xmpp.stream;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.buddycloud.channels.xmpp.stream.UnacknowledgedStanzas.Stanza;

/**
 * The counters and the queue of one session's XEP-0198 stream management, with no XML and no network: stanzas
 * handled from the client ({@code h} of our {@code <a/>}), stanzas sent to it and kept until it acknowledges them.
 * Counters are sequence numbers modulo 2^32 as the XEP says. Not thread-safe: {@link Outbound} guards it.
 */
final class StreamManagement {

    static final String NAMESPACE = "urn:xmpp:sm:3";
    private static final long MODULO = 1L << 32;

    /** What an acknowledgement did. */
    enum Ack { OK, TOO_HIGH }

    private final int maxStanzas;
    private final long maxBytes;
    private final int requestAfter;
    private final String id;
    private ArrayDeque<Stanza> unacked;
    private long queuedBytes;
    private long handled;
    private long sent;
    private long acknowledged;
    private long sentAtLastRequest;

    /** {@code id} is null when the session cannot be resumed. */
    StreamManagement(String id, int maxStanzas, long maxBytes, int requestAfter) {
        this.id = id;
        this.maxStanzas = maxStanzas;
        this.maxBytes = maxBytes;
        this.requestAfter = requestAfter;
    }

    boolean resumable() {
        return id != null;
    }

    String id() {
        return id;
    }

    /** A stanza from the client was handled. */
    void handled() {
        handled = (handled + 1) % MODULO;
    }

    long handledCount() {
        return handled;
    }

    long sentCount() {
        return sent % MODULO;
    }

    /** Keeps a stanza sent to the client; false when that takes the queue over its bound (the stanza is kept anyway). */
    boolean sent(String xml, Instant at) {
        if (unacked == null) {
            // most sessions are idle: no queue until there is something to keep
            unacked = new ArrayDeque<>(8);
        }
        unacked.add(new Stanza(xml, at));
        queuedBytes += xml.length();
        sent++;
        return unacked.size() <= maxStanzas && queuedBytes <= maxBytes;
    }

    /** True when enough stanzas went out since the last {@code <r/>} to ask again; the request is then counted as made. */
    boolean shouldRequest() {
        if (unackedCount() > 0 && sent - sentAtLastRequest >= requestAfter) {
            sentAtLastRequest = sent;
            return true;
        }
        return false;
    }

    /** A request for the stanzas still waiting, however few (the delayed request); false when none wait. */
    boolean requestPending() {
        if (unackedCount() == 0 || sentAtLastRequest == sent) {
            return false;
        }
        sentAtLastRequest = sent;
        return true;
    }

    /**
     * The client's {@code h}: the stanzas up to it are acknowledged and forgotten. An {@code h} beyond what was sent is
     * refused (XEP-0198 §4, handled-count-too-high) and changes nothing.
     */
    Ack acknowledge(long h) {
        long newlyAcked = Math.floorMod(h - acknowledged, MODULO);
        if (newlyAcked > unackedCount()) {
            return Ack.TOO_HIGH;
        }
        for (long i = 0; i < newlyAcked; i++) {
            queuedBytes -= unacked.poll().xml().length();
        }
        if (unacked != null && unacked.isEmpty()) {
            // an idle session keeps no empty queue
            unacked = null;
        }
        acknowledged = h % MODULO;
        return Ack.OK;
    }

    int unackedCount() {
        return unacked == null ? 0 : unacked.size();
    }

    /** The stanzas not acknowledged, oldest first: to send again after a resumption, or to deliver elsewhere at the end. */
    List<Stanza> unacked() {
        return unacked == null ? List.of() : List.copyOf(unacked);
    }

    /** Forgets the queue (its stanzas were handed on). */
    List<Stanza> drain() {
        List<Stanza> all = unacked();
        unacked = null;
        queuedBytes = 0;
        return all;
    }

    static long parseCount(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no h");
        }
        long h = Long.parseLong(value.trim());
        if (h < 0 || h >= MODULO) {
            throw new IllegalArgumentException("h out of range");
        }
        return h;
    }
}
