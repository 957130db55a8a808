package org.buddycloud.gateway.live;

import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/** A Server-Sent Events stream (text/event-stream): {@code id} is the position to resume from with {@code Last-Event-ID}. */
final class SseStream extends LiveStream {

    private final HttpServerResponse response;

    SseStream(HttpServerResponse response, Optional<Jid> jid, Set<Jid> channels, Optional<String> token, String client,
              int maxBacklog) {
        super(jid, channels, token, client, maxBacklog);
        this.response = response;
    }

    void begin(Runnable release) {
        onEnd(release);
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        response.closeHandler(closed -> gone());
        response.drainHandler(ready -> drained());
        // tells EventSource how long to wait before reconnecting, and flushes the headers at once
        response.write("retry: 2000\n\n");
    }

    @Override
    protected void writeFrame(String name, String id, String json) {
        StringBuilder frame = new StringBuilder(json.length() + 96);
        if (id != null) {
            frame.append("id: ").append(id).append('\n');
        }
        frame.append("event: ").append(name).append('\n').append("data: ").append(json).append("\n\n");
        response.write(frame.toString());
    }

    @Override
    protected void ping() {
        response.write(":\n\n");
    }

    @Override
    protected boolean backlogged() {
        return response.writeQueueFull();
    }

    /** The last event says why; then the connection closes (a kept-alive connection would hold the stream's slot). */
    @Override
    protected void close(String reason, String detail) {
        if (!response.ended() && !response.closed()) {
            response.end("event: " + reason + "\ndata: {\"reason\":\"" + detail.replace("\"", "'") + "\"}\n\n")
                    .onComplete(done -> response.close());
        }
    }
}
