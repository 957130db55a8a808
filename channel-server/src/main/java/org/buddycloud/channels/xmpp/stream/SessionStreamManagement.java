package org.buddycloud.channels.xmpp.stream;

import java.time.Duration;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * One session's side of stream management (XEP-0198): the client's {@code <enable/>}, {@code <r/>}, {@code <a/>} and
 * {@code <resume/>}, and the hibernation of a resumable session whose connection dropped until it is resumed or its
 * time is over. What is counted and kept until acknowledged is {@link StreamManagement}'s, inside {@link Outbound}.
 */
final class SessionStreamManagement {

    private static final Logger LOG = Logger.getLogger(SessionStreamManagement.class);

    private final C2sSession session;
    private final SessionContext context;
    private final Outbound out;
    /** The stream management id while the session can be resumed. */
    private volatile String resumptionId;
    /** How long the session hibernates when its connection drops (negotiated at {@code <enable/>}). */
    private volatile Duration resumptionMax;
    private volatile long hibernationTimer = -1;

    SessionStreamManagement(C2sSession session, SessionContext context, Outbound out) {
        this.session = session;
        this.context = context;
        this.out = out;
    }

    /** An element of the stream management namespace, from an authenticated client ({@code bound} or not yet). */
    void handle(XmlElement element, boolean bound) throws XmppStreamException {
        switch (element.name()) {
            case "enable" -> enable(element, bound);
            case "resume" -> resume(element, bound);
            case "r" -> out.ackRequested();
            case "a" -> acknowledged(element);
            default -> throw new XmppStreamException("unsupported-stanza-type", "unknown stream management element " + element.name());
        }
    }

    private void enable(XmlElement enable, boolean bound) {
        if (!bound || out.managed()) {
            out.nonza(failed("unexpected-request"));
            return;
        }
        XmppConfig.StreamManagement config = context.config().streamManagement();
        boolean resume = "true".equals(enable.attr("resume")) || "1".equals(enable.attr("resume"));
        Duration max = config.resumptionTimeout();
        long preferred = parsePositive(enable.attr("max"));
        if (preferred > 0 && preferred < max.toSeconds()) {
            // the client's preferred maximum, when it asks for less than we would keep its session
            max = Duration.ofSeconds(preferred);
        }
        max = max.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : max;
        String id = resume ? context.resumable().register(session) : null;
        resumptionId = id;
        resumptionMax = max;
        XmlElement enabled = XmlElement.of("enabled", StreamManagement.NAMESPACE);
        if (resume) {
            enabled.attr("id", id).attr("resume", "true").attr("max", max.toSeconds());
        }
        out.enable(new StreamManagement(id, config.maxUnacked(), config.maxUnackedBytes(), config.requestAckAfter()), enabled);
        LOG.debugf("stream management on for %s%s", session.fullJid(), resume ? ", resumable for " + max : "");
    }

    private void acknowledged(XmlElement ack) throws XmppStreamException {
        long h;
        try {
            h = StreamManagement.parseCount(ack.attr("h"));
        } catch (IllegalArgumentException e) {
            throw new XmppStreamException("invalid-xml", "an acknowledgement carries h, a number of stanzas");
        }
        if (out.acknowledged(h) == StreamManagement.Ack.TOO_HIGH) {
            throw new XmppStreamException("undefined-condition", "handled-count-too-high: h=" + h + ", sent " + out.sentCount());
        }
    }

    /**
     * {@code <resume/>} instead of binding: the hibernating (or still connected) session of that id, if it is this
     * user's and on this replica, moves to this connection. The new session's outbound is held throughout, so that
     * stanzas forwarded from the old one follow the resent ones.
     */
    private void resume(XmlElement resume, boolean bound) throws XmppStreamException {
        if (bound) {
            out.nonza(failed("unexpected-request"));
            return;
        }
        long h;
        try {
            h = StreamManagement.parseCount(resume.attr("h"));
        } catch (IllegalArgumentException e) {
            out.nonza(failed("bad-request"));
            return;
        }
        String previd = resume.attr("previd");
        C2sSession old = context.resumable().find(previd).filter(s -> s != session && session.user().equals(s.user())).orElse(null);
        boolean acknowledged;
        synchronized (out) {
            Outbound.Handover handover = old == null ? null : old.streamManagement().handOver(session);
            if (handover == null) {
                out.nonza(failed("item-not-found"));
                return;
            }
            session.resumes(old);
            resumptionId = previd;
            resumptionMax = old.streamManagement().resumptionMax;
            acknowledged = out.adopt(handover, h, XmlElement.of("resumed", StreamManagement.NAMESPACE).attr("previd", previd));
        }
        context.registry().transfer(session.fullJid(), old, session);
        context.resumable().moved(previd, old, session);
        if (!acknowledged) {
            throw new XmppStreamException("undefined-condition", "handled-count-too-high: h=" + h + " on resumption");
        }
        LOG.debugf("%s resumed from %s", session.fullJid(), session.remoteAddress());
    }

    /** The old side of a resumption, on the new session's thread: hands everything over and closes its connection. */
    private Outbound.Handover handOver(C2sSession resumedBy) {
        Outbound.Handover handover = out.handOver(resumedBy);
        if (handover == null) {
            return null;
        }
        session.resumedElsewhere();
        cancelHibernationTimer();
        if (handover.oldConnection() != null) {
            handover.oldConnection().close();
        }
        return handover;
    }

    /**
     * The connection dropped without the stream being closed: true when the session may be resumed, so it hibernates
     * (its stanzas are kept) until {@code over} runs, after the time negotiated; false when it must end now.
     */
    boolean hibernate(Runnable over) {
        if (!out.hibernate()) {
            return false;
        }
        hibernationTimer = context.timers().after(resumptionMax, over);
        LOG.debugf("%s hibernates: its connection dropped, it may be resumed", session.fullJid());
        return true;
    }

    /** The session ended for good: it can no longer be resumed. */
    void ended() {
        // a session resumed elsewhere is known under its id as the new one: nothing is forgotten then
        context.resumable().forget(resumptionId, session);
        cancelHibernationTimer();
    }

    private void cancelHibernationTimer() {
        long timer = hibernationTimer;
        if (timer >= 0) {
            context.timers().cancel(timer);
        }
    }

    private static XmlElement failed(String condition) {
        XmlElement failed = XmlElement.of("failed", StreamManagement.NAMESPACE);
        failed.add(condition, Namespaces.STANZA_ERRORS);
        return failed;
    }

    private static long parsePositive(String value) {
        try {
            return value == null ? 0 : Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
