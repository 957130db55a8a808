package org.buddycloud.gateway.live;

import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/** An open SSE or WebSocket stream: who holds it with which token, and how it is written to and ended. */
public abstract class LiveStream extends PositionedListener {

    private final Optional<Jid> jid;
    private final Set<Jid> channels;
    private final Optional<String> token;
    private final String client;
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile boolean ended;

    protected LiveStream(Optional<Jid> jid, Set<Jid> channels, Optional<String> token, String client) {
        this.jid = jid;
        this.channels = Set.copyOf(channels);
        this.token = token;
        this.client = client;
    }

    @Override
    public Optional<Jid> jid() {
        return jid;
    }

    @Override
    public Set<Jid> channels() {
        return channels;
    }

    public Optional<String> token() {
        return token;
    }

    public String client() {
        return client;
    }

    public boolean ended() {
        return ended;
    }

    public long idleNanos(long now) {
        return now - lastWriteNanos;
    }

    @Override
    protected final void send(LiveEvent event, String id) {
        write(event.name(), id, event.json());
    }

    @Override
    public final void missedTooMuch(Position heldFrom) {
        write("reset", null, "{\"reason\":\"this stream was away longer than the gateway holds events; "
                + "fetch what you need (GET /sync) and go on from here\"}");
    }

    /** Writes one event; a client too slow to take it is cut off (it resumes from its last id when it can). */
    protected final void write(String name, String id, String json) {
        if (ended) {
            return;
        }
        if (backlogged()) {
            end("too-slow", "the client did not read its events fast enough; resume with the last id");
            return;
        }
        lastWriteNanos = System.nanoTime();
        writeFrame(name, id, json);
    }

    /** Ends the stream, telling the client why (a final event, a WebSocket close reason). */
    public final void end(String reason, String detail) {
        if (!ended) {
            ended = true;
            close(reason, detail);
        }
    }

    /** A keep-alive for an idle connection. */
    public final void keepAlive() {
        if (!ended) {
            lastWriteNanos = System.nanoTime();
            ping();
        }
    }

    protected abstract void ping();

    protected abstract boolean backlogged();

    protected abstract void writeFrame(String name, String id, String json);

    protected abstract void close(String reason, String detail);

    /** Marks the stream over when the client went away. */
    protected final void gone() {
        ended = true;
    }
}
