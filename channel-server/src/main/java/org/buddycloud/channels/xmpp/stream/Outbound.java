package org.buddycloud.channels.xmpp.stream;

import java.util.List;
import org.buddycloud.channels.xmpp.stream.UnacknowledgedStanzas.Stanza;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * What one session writes to its client, in one order whichever thread sends: stanzas, counted and kept until
 * acknowledged once stream management (XEP-0198) is on, held back while the client says it is inactive (XEP-0352),
 * and the stream management elements themselves; roster pushes in the order their changes committed
 * ({@link RosterPushOrder}). While the session hibernates (its connection dropped, the client
 * may resume) stanzas are only kept. After a resumption the old session's outbound forwards to the new one.
 *
 * <p>Every method holds this object's monitor briefly and never calls out of the session while holding it: what the
 * session must do about an outcome (close the stream, forward) it does after the call returns.
 */
final class Outbound {

    static final String REQUEST = XmlElement.of("r", StreamManagement.NAMESPACE).toXml();

    /** Why the session must end after a send. */
    enum Trouble { NOT_READING, TOO_MANY_UNACKNOWLEDGED }

    /**
     * What became of a stanza: {@code taken} when the session answers for it from now on (sent, held, or kept until
     * acknowledged), false when the caller keeps it; {@code forwardTo} the session that resumed this one.
     */
    record Outcome(boolean taken, Trouble trouble, ClientSession forwardTo) {
        static final Outcome TAKEN = new Outcome(true, null, null);
        static final Outcome REFUSED = new Outcome(false, null, null);
    }

    /**
     * What a resumed session takes over from the one it resumes, the roster pushes' order among it: the client kept
     * the roster it had, so a push older than one it got before the connection dropped still must not reach it.
     */
    record Handover(StreamManagement streamManagement, List<XmlElement> held, Transport oldConnection, RosterPushOrder rosterPushes) {
    }

    private final SessionContext context;
    private final ClientState clientState;
    /** Null while hibernating (the connection dropped, or it was handed over). */
    private Transport transport;
    /** The connection is closed, seen on the network thread before the session has heard of it. */
    private boolean connectionGone;
    private boolean ended;
    private ClientSession successor;
    private StreamManagement sm;
    private long ackTimer = -1;
    private RosterPushOrder rosterPushes = new RosterPushOrder();

    Outbound(Transport transport, SessionContext context) {
        this.transport = transport;
        this.context = context;
        this.clientState = new ClientState(context.config().clientState().maxHeld());
    }

    synchronized Outcome stanza(XmlElement stanza) {
        if (successor != null) {
            return new Outcome(false, null, successor);
        }
        if (ended) {
            return Outcome.REFUSED;
        }
        XmlElement admitted = rosterPushes.admit(stanza);
        if (admitted == null) {
            // a roster push older than one the client already has: it would undo the newer state
            return Outcome.TAKEN;
        }
        Outcome outcome = Outcome.TAKEN;
        for (XmlElement now : clientState.offer(admitted)) {
            Outcome written = write(now);
            if (written != Outcome.TAKEN) {
                outcome = written;
            }
        }
        return outcome;
    }

    private Outcome write(XmlElement stanza) {
        String xml = stanza.toXml();
        if (sm == null) {
            if (transport == null || connectionGone) {
                return Outcome.REFUSED;
            }
            if (!transport.writable()) {
                return new Outcome(false, Trouble.NOT_READING, null);
            }
            transport.send(xml);
            return Outcome.TAKEN;
        }
        // kept until acknowledged: from here on the session answers for the stanza, whatever happens to the connection
        if (!sm.sent(xml, context.clock().instant())) {
            return new Outcome(true, Trouble.TOO_MANY_UNACKNOWLEDGED, null);
        }
        if (transport == null || connectionGone) {
            return Outcome.TAKEN;
        }
        if (!transport.writable()) {
            return new Outcome(true, Trouble.NOT_READING, null);
        }
        transport.send(xml);
        if (sm.shouldRequest()) {
            transport.send(REQUEST);
        } else if (ackTimer < 0) {
            ackTimer = context.timers().after(context.config().streamManagement().requestAckDelay(), this::delayedRequest);
        }
        return Outcome.TAKEN;
    }

    /** A stanza waited a while for its acknowledgement: ask for it, however few are waiting. */
    private synchronized void delayedRequest() {
        ackTimer = -1;
        if (!ended && sm != null && transport != null && !connectionGone && sm.requestPending()) {
            transport.send(REQUEST);
        }
    }

    /** Writes a stream management element (not a stanza: neither counted nor kept), if the connection is there. */
    synchronized void nonza(XmlElement element) {
        if (transport != null && !connectionGone && !ended) {
            transport.send(element.toXml());
        }
    }

    // ---- stream management

    synchronized boolean managed() {
        return sm != null;
    }

    /** Turns stream management on, answering {@code enabled}: stanzas are counted from the next one on. */
    synchronized void enable(StreamManagement streamManagement, XmlElement enabled) {
        nonza(enabled);
        sm = streamManagement;
    }

    /** A stanza from the client was handled. */
    synchronized void handled() {
        if (sm != null) {
            sm.handled();
        }
    }

    /** The client's {@code <r/>}: our {@code <a h/>}. */
    synchronized void ackRequested() {
        if (sm != null) {
            nonza(XmlElement.of("a", StreamManagement.NAMESPACE).attr("h", sm.handledCount()));
        }
    }

    /** The client's {@code <a h/>}; null when stream management is off (the element is ignored then). */
    synchronized StreamManagement.Ack acknowledged(long h) {
        return sm == null ? null : sm.acknowledge(h);
    }

    synchronized long sentCount() {
        return sm == null ? 0 : sm.sentCount();
    }

    // ---- client state indication

    synchronized void inactive() {
        clientState.inactive(true);
    }

    /** The client is active again: what was held goes out, in order. */
    synchronized Outcome active() {
        clientState.inactive(false);
        Outcome outcome = Outcome.TAKEN;
        for (XmlElement held : clientState.release()) {
            Outcome written = write(held);
            if (written.trouble() != null) {
                outcome = written;
            }
        }
        return outcome;
    }

    // ---- the connection's end: hibernation, resumption, the end of the session

    /** Whether there is a connection to write to (not hibernating, not dropped). */
    synchronized boolean connected() {
        return transport != null && !connectionGone;
    }

    /** On the network thread: the connection is closed; nothing more is written to it. */
    synchronized void connectionGone() {
        connectionGone = true;
    }

    /** The connection dropped: true when the session may be resumed, so it hibernates (its stanzas are kept meanwhile). */
    synchronized boolean hibernate() {
        if (ended || sm == null || !sm.resumable()) {
            return false;
        }
        transport = null;
        cancelAckTimer();
        return true;
    }

    /**
     * A new connection resumes this session: everything it needs, and from now on every stanza for this session is
     * forwarded to {@code resumedBy}. Null when the session has ended meanwhile.
     */
    synchronized Handover handOver(ClientSession resumedBy) {
        if (ended) {
            return null;
        }
        ended = true;
        successor = resumedBy;
        cancelAckTimer();
        Transport old = connectionGone ? null : transport;
        transport = null;
        StreamManagement taken = sm;
        sm = null;
        return new Handover(taken, clientState.release(), old, rosterPushes);
    }

    /**
     * Takes over a resumed session (XEP-0198 §5): the client's {@code h} acknowledges what it got, {@code resumed}
     * goes out, then every stanza it did not get, in order, once (they keep their place in the count), then what was
     * held for it. False when its {@code h} is beyond what was sent (nothing is written then).
     */
    synchronized boolean adopt(Handover handover, long h, XmlElement resumed) {
        sm = handover.streamManagement();
        rosterPushes = handover.rosterPushes();
        if (sm.acknowledge(h) == StreamManagement.Ack.TOO_HIGH) {
            return false;
        }
        nonza(resumed.attr("h", sm.handledCount()));
        for (Stanza unacked : sm.unacked()) {
            transport.send(unacked.xml());
        }
        handover.held().forEach(this::write);
        if (sm.unackedCount() > 0) {
            sm.requestPending();
            transport.send(REQUEST);
        }
        return true;
    }

    /** The session ends for good: the stanzas its client did not acknowledge; null when it was resumed elsewhere. */
    synchronized List<Stanza> end() {
        if (ended) {
            return successor == null ? List.of() : null;
        }
        ended = true;
        cancelAckTimer();
        clientState.release();
        transport = null;
        if (sm == null) {
            return List.of();
        }
        List<Stanza> left = sm.drain();
        sm = null;
        return left;
    }

    private void cancelAckTimer() {
        if (ackTimer >= 0) {
            context.timers().cancel(ackTimer);
            ackTimer = -1;
        }
    }
}
