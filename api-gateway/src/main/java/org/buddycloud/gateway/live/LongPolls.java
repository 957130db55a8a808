package org.buddycloud.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.gateway.edge.Caller;
import org.buddycloud.gateway.edge.EdgeRefusal;

/**
 * The old API's long polls, on the same hub as the streams:
 * <ul>
 * <li>{@code GET /notifications/posts?since=} — posts of what the caller follows: without {@code since} at once
 *     {@code {last, items: []}}; with it (the {@code last} of the previous answer, or milliseconds since the epoch
 *     as the old API took it) what came since, or the first to come within the long-poll timeout.</li>
 * <li>{@code GET /{channel}/next/{node}?since_post=|since_time=} — the posts of one node after the cursor, or the
 *     next one to come; 404 for a cursor the gateway does not hold.</li>
 * </ul>
 */
final class LongPolls {

    private final LiveHub hub;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Set<Waiting> waiting = ConcurrentHashMap.newKeySet();

    LongPolls(LiveHub hub, ObjectMapper json, Duration timeout) {
        this.hub = hub;
        this.json = json;
        this.timeout = timeout;
    }

    void posts(RoutingContext context, Caller caller) {
        String since = context.request().getParam("since");
        Waiting poll = new Waiting(context.response(), caller.jid(), Set.of(), null, true);
        if (since == null || since.isBlank()) {
            poll.answer(List.of(), hub.position());
            return;
        }
        if (since.matches("\\d{1,15}")) {
            wait(poll, () -> hub.openSince(poll, Instant.ofEpochMilli(Long.parseLong(since))));
            return;
        }
        Position from;
        try {
            from = Position.parse(since);
        } catch (IllegalArgumentException e) {
            throw LiveRoutes.badRequest("since is neither a position nor milliseconds: " + e.getMessage());
        }
        wait(poll, () -> hub.open(poll, Optional.of(from)));
    }

    void next(RoutingContext context, Caller caller, String channelText, String nodeName) {
        Jid channel;
        try {
            channel = Jid.parse(channelText).toBare();
        } catch (InvalidJidException e) {
            throw LiveRoutes.badRequest("not a channel: " + channelText);
        }
        String node = "/user/" + channel + "/" + nodeName;
        Waiting poll = new Waiting(context.response(), caller.jid(), Set.of(channel), node, false);
        String sincePost = context.request().getParam("since_post");
        String sinceTime = context.request().getParam("since_time");
        if (sincePost != null) {
            LiveEvent cursor = hub.heldPost(channel, node, sincePost).orElseThrow(() -> new EdgeRefusal(404, "item-not-found",
                    "unknown cursor: the gateway holds no recent post " + sincePost + " of " + channel + "/" + nodeName,
                    Optional.empty(), Optional.empty()));
            wait(poll, () -> hub.open(poll, Optional.of(cursor.position())));
        } else if (sinceTime != null) {
            Instant time = time(sinceTime);
            wait(poll, () -> hub.openSince(poll, time));
        } else {
            wait(poll, () -> hub.open(poll, Optional.empty()));
        }
    }

    /**
     * Opens the poll on the hub (which hands over what it holds since the cursor, in the same step as it starts
     * listening, so nothing comes between), then answers what was handed over at once, or waits for the first event
     * to come or the timeout.
     */
    private void wait(Waiting poll, Runnable open) {
        poll.deadline = System.nanoTime() + timeout.toNanos();
        waiting.add(poll);
        poll.response.closeHandler(closed -> {
            waiting.remove(poll);
            hub.close(poll);
        });
        open.run();
        poll.caughtUp();
    }

    /** Answers the polls that waited out the timeout: nothing new, and where to ask from next. */
    void expire() {
        long now = System.nanoTime();
        for (Waiting poll : waiting) {
            if (now - poll.deadline >= 0) {
                poll.finish();
            }
        }
    }

    private static Instant time(String text) {
        try {
            return text.matches("\\d{1,15}") ? Instant.ofEpochMilli(Long.parseLong(text)) : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw LiveRoutes.badRequest("since_time is not an ISO 8601 instant: " + text);
        }
    }

    /**
     * One waiting request: it wants posts (of one node, for {@code /next}). What the hub hands over while it opens
     * (the held events since the cursor) is gathered and answered together; after that the first event answers.
     */
    private final class Waiting extends PositionedListener {
        final HttpServerResponse response;
        final String node;
        final boolean envelope;
        volatile long deadline;
        private final List<LiveEvent> gathered = new ArrayList<>();
        private boolean opening = true;
        private boolean answered;

        Waiting(HttpServerResponse response, Optional<Jid> jid, Set<Jid> channels, String node, boolean envelope) {
            super(jid, channels);
            this.response = response;
            this.node = node;
            this.envelope = envelope;
        }

        @Override
        public boolean wants(LiveEvent event) {
            return event.isPost() && (node == null || node.equals(event.node()));
        }

        @Override
        protected void send(LiveEvent event, String id) {
            boolean answerNow;
            synchronized (this) {
                gathered.add(event);
                answerNow = !opening;
            }
            if (answerNow) {
                finish();
            }
        }

        @Override
        public void missedTooMuch(Position heldFrom) {
            // a long poll asks again from what it gets: it goes on from now
        }

        /** The hub has handed over what it held: answer that now, if anything. */
        void caughtUp() {
            boolean any;
            synchronized (this) {
                opening = false;
                any = !gathered.isEmpty();
            }
            if (any) {
                finish();
            }
        }

        /** Answers what was gathered (nothing, at the timeout) and stops listening. */
        void finish() {
            List<LiveEvent> events;
            synchronized (this) {
                if (answered) {
                    return;
                }
                answered = true;
                events = List.copyOf(gathered);
            }
            waiting.remove(this);
            hub.close(this);
            write(events, events.isEmpty() ? hub.position().max(position()) : position());
        }

        void answer(List<LiveEvent> events, Position last) {
            synchronized (this) {
                answered = true;
            }
            write(events, last);
        }

        private void write(List<LiveEvent> events, Position last) {
            ArrayNode items = json.createArrayNode();
            for (LiveEvent event : events) {
                items.add(postOf(event));
            }
            JsonNode body = items;
            if (envelope) {
                ObjectNode wrapped = json.createObjectNode();
                wrapped.put("last", last.encode());
                wrapped.set("items", items);
                body = wrapped;
            }
            if (!response.closed() && !response.ended()) {
                response.putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(body.toString());
            }
        }

        private JsonNode postOf(LiveEvent event) {
            try {
                return json.readTree(event.json()).get("post");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
