package org.buddycloud.gateway.live;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/**
 * A WebSocket stream: one text frame per event, {@code {"id": …, "event": …, "data": {…}}}; reconnect with
 * {@code ?since=<id>}. Ends with close code 4001 when the token expires or is revoked, 4008 when too slow.
 */
final class WebSocketStream extends LiveStream {

    private final ServerWebSocket socket;

    WebSocketStream(ServerWebSocket socket, Optional<Jid> jid, Set<Jid> channels, Optional<String> token, String client,
                    int maxBacklog) {
        super(jid, channels, token, client, maxBacklog);
        this.socket = socket;
    }

    void begin(Runnable release) {
        onEnd(release);
        socket.closeHandler(closed -> gone());
        socket.drainHandler(ready -> drained());
        // nothing is expected from the client; what it sends is ignored (pings are answered by Vert.x)
        socket.handler(ignored -> {
        });
    }

    @Override
    protected void writeFrame(String name, String id, String json) {
        socket.writeTextMessage("{\"id\":" + (id == null ? "null" : "\"" + id + "\"") + ",\"event\":\"" + name
                + "\",\"data\":" + json + "}");
    }

    @Override
    protected void ping() {
        socket.writePing(Buffer.buffer());
    }

    @Override
    protected boolean backlogged() {
        return socket.writeQueueFull();
    }

    @Override
    protected void close(String reason, String detail) {
        short code = reason.equals("too-slow") ? (short) 4008 : (short) 4001;
        if (!socket.isClosed()) {
            socket.close(code, detail.length() > 120 ? detail.substring(0, 120) : detail);
        }
    }
}
