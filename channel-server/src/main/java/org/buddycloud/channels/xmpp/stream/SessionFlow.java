package org.buddycloud.channels.xmpp.stream;

import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.SerialExecutor;
import org.jboss.logging.Logger;

/**
 * Flow control of one client session, both ways, so that no client makes the server hold unbounded memory for it.
 * Its input is handled in arrival order on the session's serial executor, off the event loop; while much of it waits
 * the connection is not read ({@link InboundBudget}), so a client that floods waits on its own TCP window, and one
 * whose input still piles up past {@value #MAX_BACKLOG} tasks loses its stream. A client that does not take its
 * output ({@link Outbound.Trouble}: it does not read, or does not acknowledge) loses its stream too. Idle connections
 * are ended by Vert.x (TCP) or {@link IdleWatch} (WebSocket).
 */
final class SessionFlow {

    private static final Logger LOG = Logger.getLogger(SessionFlow.class);
    private static final int MAX_BACKLOG = 1000;
    /** Unhandled input chunks after which the connection is no longer read until the session catches up. */
    private static final int MAX_PENDING_CHUNKS = 32;

    private final SerialExecutor executor;
    private final InboundBudget inbound;
    private final BooleanSupplier open;
    private final BiConsumer<String, String> streamError;

    /**
     * {@code open} tells whether the session still takes input; {@code streamError} ends its stream with a condition
     * and a text.
     */
    SessionFlow(Executor pool, InputControl input, long maxStanzaBytes, BooleanSupplier open,
                BiConsumer<String, String> streamError) {
        this.executor = new SerialExecutor(pool);
        this.inbound = new InboundBudget(input, maxStanzaBytes, MAX_PENDING_CHUNKS);
        this.open = open;
        this.streamError = streamError;
    }

    /** On the network thread: {@code size} bytes of input, handled by {@code task} in turn while the session is open. */
    void input(int size, Runnable task) {
        if (executor.backlog() > MAX_BACKLOG) {
            streamError.accept("policy-violation", "too much input at once");
            return;
        }
        inbound.queued(size);
        executor.execute(() -> {
            try {
                if (open.getAsBoolean()) {
                    task.run();
                }
            } finally {
                inbound.handled(size);
            }
        });
    }

    /** Work of the session's own (a timer's, another thread's), in turn with its input. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    /** What sending to the client of {@code session} ran into: a client that does not take its stanzas loses its stream. */
    void sent(Outbound.Trouble trouble, Jid session) {
        if (trouble == Outbound.Trouble.NOT_READING) {
            LOG.infof("closing %s: it does not read what is sent to it", session);
            streamError.accept("policy-violation", "the client does not read its stanzas");
        } else if (trouble == Outbound.Trouble.TOO_MANY_UNACKNOWLEDGED) {
            // a client that does not acknowledge (or a hibernating session that gets much): its queue stays bounded
            LOG.infof("closing %s: it acknowledges too little of what is sent to it", session);
            execute(() -> streamError.accept("policy-violation", "too many stanzas not acknowledged"));
        }
    }
}
