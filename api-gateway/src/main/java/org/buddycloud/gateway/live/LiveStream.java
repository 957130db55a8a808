package org.buddycloud.gateway.live;

import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/**
 * An open SSE or WebSocket stream: who holds it with which token, and how it is written to and ended. Writes come
 * from the Kafka consumer (events), the scheduler (heartbeats, token checks) and the event loop (its end): they are
 * serialised per stream, so an end never races a write.
 */
public abstract class LiveStream extends PositionedListener {

    private final Optional<String> token;
    private final String client;
    private final int maxBacklog;
    private volatile long lastWriteNanos = System.nanoTime();
    private boolean ended;
    /** Frames written while the connection's write queue was full; reset when it drains. */
    private int backlog;
    private Runnable onEnd = () -> {
    };

    protected LiveStream(Optional<Jid> jid, Set<Jid> channels, Optional<String> token, String client, int maxBacklog) {
        super(jid, channels);
        this.token = token;
        this.client = client;
        this.maxBacklog = maxBacklog;
    }

    public Optional<String> token() {
        return token;
    }

    public String client() {
        return client;
    }

    public synchronized boolean ended() {
        return ended;
    }

    public long idleNanos(long now) {
        return now - lastWriteNanos;
    }

    /** What to do once the stream is over, however it ended (released from the gateway's counts). */
    protected void onEnd(Runnable release) {
        this.onEnd = release;
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

    /**
     * Writes one event. The connection buffers what the client has not read yet; a client that stays behind by more
     * than {@code maxBacklog} events is cut off, and resumes from its last id when it can keep up.
     */
    protected final void write(String name, String id, String json) {
        boolean tooSlow;
        synchronized (this) {
            if (ended) {
                return;
            }
            tooSlow = backlogged() && ++backlog > maxBacklog;
            if (!tooSlow) {
                lastWriteNanos = System.nanoTime();
                writeFrame(name, id, json);
            }
        }
        if (tooSlow) {
            end("too-slow", "the client did not read its events fast enough; resume with the last id");
        }
    }

    /** The connection's write queue drained: the client caught up. */
    protected final synchronized void drained() {
        backlog = 0;
    }

    /** Ends the stream, telling the client why (a final event, a WebSocket close reason). */
    public final void end(String reason, String detail) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            close(reason, detail);
        }
        onEnd.run();
    }

    /** A keep-alive for an idle connection. */
    public final void keepAlive() {
        synchronized (this) {
            if (ended) {
                return;
            }
            lastWriteNanos = System.nanoTime();
            ping();
        }
    }

    protected abstract void ping();

    protected abstract boolean backlogged();

    protected abstract void writeFrame(String name, String id, String json);

    protected abstract void close(String reason, String detail);

    /** The client went away. */
    protected final void gone() {
        synchronized (this) {
            ended = true;
        }
        onEnd.run();
    }
}
