package org.buddycloud.gateway.xmpp;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.http.WebSocketBase;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Joins two WebSockets, the caller's and the channel server's, both on one event loop. Each text message goes on as
 * a text message: RFC 7395 frames are text, one stanza each, and a pipe would write binary. A side is paused while
 * the other cannot take more, and resumed when that one drains, so a slow reader holds its sender back instead of
 * filling the gateway's memory. Whichever side closes closes the other, passing its code and reason on.
 */
final class TextRelay {

    /** The peer closed without saying why (RFC 6455 §7.4.1: 1005 is never sent). */
    private static final short NO_STATUS = 1005;
    private static final short NORMAL = 1000;
    /** The peer's connection broke off (1006, never sent either): to the other side, its peer went away. */
    private static final short GOING_AWAY = 1001;

    private TextRelay() {
    }

    /** Relays between {@code caller} and {@code service} until either closes; then runs {@code ended}, once. */
    static void join(WebSocketBase caller, WebSocketBase service, Runnable ended) {
        AtomicBoolean over = new AtomicBoolean();
        Runnable once = () -> {
            if (over.compareAndSet(false, true)) {
                ended.run();
            }
        };
        forward(caller, service, once);
        forward(service, caller, once);
    }

    private static void forward(WebSocketBase from, WebSocketBase to, Runnable ended) {
        from.textMessageHandler(text -> {
            to.writeTextMessage(text);
            if (to.writeQueueFull()) {
                from.pause();
            }
        });
        to.drainHandler(drained -> from.resume());
        from.closeHandler(closed -> {
            if (!to.isClosed()) {
                String reason = from.closeReason();
                to.close(passedOn(from.closeStatusCode()), reason == null ? "" : reason);
            }
            ended.run();
        });
        // a broken frame or connection: closing this side closes the other through the close handler
        from.exceptionHandler(failure -> from.close());
    }

    /** A close code the other side may be sent: the peer's own, or what the codes that are never sent stand for. */
    static short passedOn(Short code) {
        if (code == null) {
            return GOING_AWAY;
        }
        if (code == NO_STATUS) {
            return NORMAL;
        }
        return WebSocketCloseStatus.isValidStatusCode(code) ? code : GOING_AWAY;
    }
}
