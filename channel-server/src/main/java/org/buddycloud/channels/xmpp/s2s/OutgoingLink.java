package org.buddycloud.channels.xmpp.s2s;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.xmppkit.s2s.DialbackKey;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jboss.logging.Logger;

/**
 * Everything we send from one of our domains to one remote domain, across the life of one outgoing stream: stanzas
 * wait here while the stream is set up (bounded) and are written in order once the remote believes us; our dialback
 * questions wait until the stream is encrypted. When the stream cannot be set up or ends, what waited is answered with
 * an error to its sender, and the link is forgotten: the next stanza makes a new one.
 */
final class OutgoingLink {

    private static final Logger LOG = Logger.getLogger(OutgoingLink.class);

    private enum State { CONNECTING, READY, ENDED }

    /** A stanza waiting for the stream; {@code outcome}, when someone asked, learns whether it was written. */
    private record Waiting(StanzaSink from, XmlElement stanza, CompletableFuture<Boolean> outcome) {

        void written() {
            if (outcome != null) {
                outcome.complete(true);
            }
        }
    }

    private final String local;
    private final String remote;
    private final DialbackKey keys;
    private final int maxWaiting;
    private final Ended ended;
    private final Believed believed;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Our questions not yet written (the stream is not encrypted yet), by the id of the stream they are about. */
    private final Map<String, String> unasked = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<Boolean>> verifications = new HashMap<>();
    /** Most dialback questions one link keeps open: a remote that never answers cannot grow them without end. */
    static final int MAX_OPEN_QUESTIONS = 100;

    private State state = State.CONNECTING;
    /** The connection being set up or in use, from the moment it exists: an ended link closes it. */
    private OutgoingS2sStream connection;
    /** The connection once our dialback questions may go on it. */
    private OutgoingS2sStream stream;

    /** Told when a link ended, so that its owner forgets it. */
    interface Ended {
        void ended(OutgoingLink link, boolean wasReady);
    }

    /** Told how the remote came to believe us, for the metrics. */
    interface Believed {
        void believed(String remote, String mechanism);
    }

    OutgoingLink(String local, String remote, DialbackKey keys, int maxWaiting, Ended ended, Believed believed) {
        this.believed = believed;
        this.local = local;
        this.remote = remote;
        this.keys = keys;
        this.maxWaiting = maxWaiting;
        this.ended = ended;
    }

    String local() {
        return local;
    }

    String remote() {
        return remote;
    }

    DialbackKey keys() {
        return keys;
    }

    synchronized boolean ready() {
        return state == State.READY;
    }

    synchronized boolean ended() {
        return state == State.ENDED;
    }

    /** The connection of this link exists; false (and the caller closes it) when the link ended meanwhile. */
    synchronized boolean attach(OutgoingS2sStream created) {
        if (state == State.ENDED) {
            return false;
        }
        connection = created;
        return true;
    }

    /** The set-up took too long: ends the link unless it became ready meanwhile (checked under the same lock). */
    void failIfNotReady(String text) {
        synchronized (this) {
            if (state != State.CONNECTING) {
                return;
            }
        }
        failed("remote-server-timeout", text);
    }

    /** Sends or queues the stanza; false when the link has ended and a new one must take it. */
    boolean send(StanzaSink from, XmlElement stanza) {
        return send(from, stanza, null);
    }

    /**
     * Sends or queues the stanza; {@code outcome} (if not null) completes with true once it is written on the ready
     * stream, false when it never will be (instead of an error to {@code from}). False when the link has ended.
     */
    boolean send(StanzaSink from, XmlElement stanza, CompletableFuture<Boolean> outcome) {
        Waiting sent = new Waiting(from, stanza, outcome);
        synchronized (this) {
            switch (state) {
                case ENDED -> {
                    return false;
                }
                case READY -> {
                    stream.send(stanza);
                    sent.written();
                    return true;
                }
                default -> {
                    if (waiting.size() < maxWaiting) {
                        waiting.add(sent);
                        return true;
                    }
                }
            }
        }
        bounce(sent, "wait", "resource-constraint", "too many stanzas wait for the stream to " + remote);
        return true;
    }

    /**
     * Asks the remote (authoritative for its domain) whether {@code key} is the one it made for its stream
     * {@code streamId} to us; null when the link has ended and a new one must ask.
     */
    synchronized CompletableFuture<Boolean> verify(String streamId, String key, java.time.Duration timeout) {
        if (state == State.ENDED) {
            return null;
        }
        CompletableFuture<Boolean> answer = verifications.get(streamId);
        if (answer != null) {
            return answer;
        }
        if (verifications.size() >= MAX_OPEN_QUESTIONS) {
            // unanswered questions pile up: a key nobody vouched for is not believed
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> asked = new CompletableFuture<>();
        answer = asked;
        verifications.put(streamId, asked);
        // an answer that does not come is a no; the question is forgotten either way
        asked.completeOnTimeout(false, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((valid, failure) -> forgetQuestion(streamId, asked));
        if (stream != null) {
            stream.askVerify(streamId, key);
        } else {
            unasked.put(streamId, key);
        }
        return answer;
    }

    private synchronized void forgetQuestion(String streamId, CompletableFuture<Boolean> asked) {
        verifications.remove(streamId, asked);
    }

    /** The stream is encrypted and no restart is to come: our questions may go. */
    synchronized void streamOpened(OutgoingS2sStream opened) {
        if (state == State.ENDED) {
            return;
        }
        stream = opened;
        unasked.forEach(opened::askVerify);
        unasked.clear();
    }

    /** The remote believes us: what waited is written, in order. */
    synchronized void ready(OutgoingS2sStream ready) {
        if (state == State.ENDED) {
            // too late: its stanzas were answered already
            ready.close("connection-timeout", "the stream took too long to set up");
            return;
        }
        state = State.READY;
        stream = ready;
        LOG.infof("s2s stream %s -> %s is ready", local, remote);
        waiting.forEach(w -> {
            ready.send(w.stanza());
            w.written();
        });
        waiting.clear();
    }

    void believed(String mechanism) {
        believed.believed(remote, mechanism);
    }

    void verifyAnswered(String streamId, boolean valid) {
        CompletableFuture<Boolean> answer;
        synchronized (this) {
            answer = verifications.remove(streamId);
        }
        if (answer != null) {
            answer.complete(valid);
        }
    }

    /** The stream could not be set up; what waited hears why. */
    void failed(String condition, String text) {
        end("remote-server-timeout".equals(condition) ? "wait" : "cancel", condition, text, "connection-timeout");
    }

    /** This server stops: the stream ends with system-shutdown, and what waited hears that the remote is not reachable now. */
    void shutdown() {
        end("wait", "remote-server-timeout", "the server is shutting down", "system-shutdown");
    }

    /** The stream's connection ended, for whatever reason: anything still waiting hears that the remote is not reachable. */
    void streamEnded(OutgoingS2sStream ended) {
        end("wait", "remote-server-timeout", "the stream to " + remote + " ended", "connection-timeout");
    }

    private void end(String type, String condition, String text, String streamCondition) {
        List<Waiting> unsent;
        List<CompletableFuture<Boolean>> unanswered;
        boolean wasReady;
        OutgoingS2sStream open;
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            wasReady = state == State.READY;
            state = State.ENDED;
            unsent = new ArrayList<>(waiting);
            waiting.clear();
            unanswered = new ArrayList<>(verifications.values());
            verifications.clear();
            unasked.clear();
            open = connection;
        }
        if (open != null) {
            // a stream that is still up after a timeout: nothing more goes on it
            open.close(streamCondition, text);
        }
        if (!wasReady) {
            LOG.infof("s2s stream %s -> %s not set up: %s", local, remote, text);
        }
        ended.ended(this, wasReady);
        // a key nobody vouched for is not believed
        unanswered.forEach(answer -> answer.complete(false));
        unsent.forEach(w -> bounce(w, type, condition, text));
    }

    private static void bounce(Waiting waiting, String type, String condition, String text) {
        if (waiting.outcome() != null) {
            waiting.outcome().complete(false);
            return;
        }
        String stanzaType = waiting.stanza().attr("type");
        if (!"error".equals(stanzaType) && !"result".equals(stanzaType)) {
            waiting.from().send(Stanzas.error(waiting.stanza(), type, condition, text, null));
        }
    }
}
