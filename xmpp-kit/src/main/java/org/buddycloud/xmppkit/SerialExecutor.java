package org.buddycloud.xmppkit;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Runs one session's tasks one after the other, in order, on a shared pool: sessions proceed in
 * parallel, a session's stanzas never overtake each other, and a slow session blocks only itself.
 * A session takes a worker for at most {@value #TURN} tasks at a time, then queues up behind the
 * others again, so that sessions with endless work cannot keep every worker to themselves.
 */
public final class SerialExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class);
    static final int TURN = 16;

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        for (int done = 0; done < TURN; done++) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "a session task failed");
            }
        }
        // still running: the rest waits for its next turn, behind the other sessions' work
        pool.execute(this::drain);
    }

    /** Tasks waiting, to refuse more work from a client that floods. */
    public int backlog() {
        synchronized (tasks) {
            return tasks.size();
        }
    }
}
