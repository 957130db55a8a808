package org.buddycloud.channels.xmpp;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Runs one session's tasks one after the other, in order, on a shared pool: sessions proceed in
 * parallel, a session's stanzas never overtake each other, and a slow session blocks only itself.
 */
public final class SerialExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class);

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
        while (true) {
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
    }

    /** Tasks waiting, to refuse more work from a client that floods. */
    public int backlog() {
        synchronized (tasks) {
            return tasks.size();
        }
    }
}
