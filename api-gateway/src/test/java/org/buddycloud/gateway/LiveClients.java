package org.buddycloud.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Live stream clients the way apps hold them: the JDK's HTTP client reading an event stream, and its WebSocket. */
final class LiveClients {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One received event: SSE's id/event/data, or the WebSocket frame's fields. */
    record Event(String id, String name, String data) {
    }

    private LiveClients() {
    }

    /** A Server-Sent Events stream, read line by line on a thread of its own. */
    static final class Sse implements AutoCloseable {
        final int status;
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final AtomicBoolean ended = new AtomicBoolean();
        private final InputStream body;

        Sse(String url, String token, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            body = response.body();
            Thread reader = new Thread(this::read, "sse-test-client");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                String name = "message";
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(id, name, data.toString()));
                        }
                        id = null;
                        name = "message";
                        data.setLength(0);
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
            } catch (IOException e) {
                // closed by the test or by the server
            } finally {
                ended.set(true);
            }
        }

        /** The next event named {@code name} (others are skipped), or fails after {@link #WAIT}. */
        Event next(String name) throws InterruptedException {
            return LiveClients.next(events, name);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** A WebSocket stream; each text frame is {@code {"id":…,"event":…,"data":{…}}}. */
    static final class Socket implements AutoCloseable {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        private final WebSocket socket;

        Socket(String url) throws Exception {
            socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
                private final StringBuilder partial = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        String frame = partial.toString();
                        partial.setLength(0);
                        events.add(new Event(field(frame, "id"), field(frame, "event"), frame));
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    closedWith.complete(statusCode);
                    return null;
                }
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        Event next(String name) throws InterruptedException {
            return LiveClients.next(events, name);
        }

        @Override
        public void close() {
            socket.abort();
        }

        private static String field(String frame, String name) {
            String marker = "\"" + name + "\":\"";
            int start = frame.indexOf(marker);
            return start < 0 ? null : frame.substring(start + marker.length(), frame.indexOf('"', start + marker.length()));
        }
    }

    static Event next(BlockingQueue<Event> events, String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Event event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event != null && event.name().equals(name)) {
                return event;
            }
        }
        throw new AssertionError("no '" + name + "' event within " + WAIT);
    }

    /** The contents of the posts among {@code events}, in order. */
    static List<String> contents(List<Event> events) {
        return events.stream().filter(e -> e.name().equals("post")).map(e -> {
            String marker = "\"content\":\"";
            int start = e.data().indexOf(marker);
            return e.data().substring(start + marker.length(), e.data().indexOf('"', start + marker.length()));
        }).toList();
    }
}
