package org.buddycloud.channels.xmpp.stream;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Ends a connection nothing arrived on for the idle timeout. TCP sessions have Vert.x's own idle
 * handling; a WebSocket lives on the HTTP server, whose idle timeout (30 min by default) is not the
 * XMPP one, so WebSocket sessions are watched here.
 */
final class IdleWatch {

    private final Vertx vertx;
    private final long timeoutNanos;
    private final long timer;
    private volatile long lastActivity = System.nanoTime();

    private IdleWatch(Vertx vertx, Duration timeout, Runnable onIdle) {
        this.vertx = vertx;
        this.timeoutNanos = timeout.toNanos();
        // look a few times per period, so that an idle connection ends at most a quarter late
        long every = Math.max(250, timeout.toMillis() / 4);
        this.timer = vertx.setPeriodic(every, id -> {
            if (System.nanoTime() - lastActivity > timeoutNanos) {
                stop();
                onIdle.run();
            }
        });
    }

    static IdleWatch start(Vertx vertx, Duration timeout, Runnable onIdle) {
        return new IdleWatch(vertx, timeout, onIdle);
    }

    /** Something arrived: the connection is alive. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    void stop() {
        vertx.cancelTimer(timer);
    }
}
