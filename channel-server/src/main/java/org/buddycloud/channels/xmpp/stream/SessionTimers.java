package org.buddycloud.channels.xmpp.stream;

import io.vertx.core.Vertx;
import java.time.Duration;

/** One-shot timers of the sessions (hibernation, delayed acknowledgement requests); a timer is only set while needed. */
interface SessionTimers {

    /** Runs {@code task} once after {@code delay} (on a timer thread: the task hands its work to the session); its id. */
    long after(Duration delay, Runnable task);

    void cancel(long id);

    static SessionTimers of(Vertx vertx) {
        return new SessionTimers() {
            @Override
            public long after(Duration delay, Runnable task) {
                return vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
            }

            @Override
            public void cancel(long id) {
                vertx.cancelTimer(id);
            }
        };
    }
}
