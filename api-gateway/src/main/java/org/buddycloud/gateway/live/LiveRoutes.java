package org.buddycloud.gateway.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.gateway.GatewayConfig;
import org.buddycloud.gateway.edge.Caller;
import org.buddycloud.gateway.edge.EdgeGate;
import org.buddycloud.gateway.edge.EdgeRefusal;
import org.buddycloud.gateway.edge.OpenStreams;
import org.buddycloud.gateway.proxy.Problems;
import org.buddycloud.gateway.routing.RouteTable;

/**
 * The live streams: {@code GET /notifications/stream} (Server-Sent Events) and {@code GET /notifications/websocket}
 * (WebSocket) carry, for the caller, the posts, retractions, follow requests and membership changes of what they
 * follow — or, with {@code channel=…} (repeatable; anonymous callers too), of those channels as far as they may
 * read them. {@code Last-Event-ID} (or {@code since}) resumes after a dropped connection. A browser's EventSource
 * cannot send headers, so the token may come as {@code access_token}. The old API's long polls are in
 * {@link LongPolls}.
 */
@ApplicationScoped
public class LiveRoutes {

    private final LiveFeed feed;
    private final EdgeGate gate;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final LongPolls longPolls;
    private final OpenStreams streams;
    private final Set<LiveStream> open = ConcurrentHashMap.newKeySet();

    LiveRoutes(LiveFeed feed, EdgeGate gate, ObjectMapper json, GatewayConfig config, OpenStreams streams) {
        this.feed = feed;
        this.gate = gate;
        this.json = json;
        this.config = config;
        this.streams = streams;
        this.longPolls = new LongPolls(feed.hub(), json, config.live().longPollTimeout());
    }

    void register(@Observes Router router) {
        router.get("/notifications/stream").handler(this::sse);
        router.get("/notifications/websocket").handler(this::webSocket);
        router.get("/notifications/posts").handler(context -> admitted(context, Anonymous.REFUSED, caller -> longPolls.posts(context, caller)));
        router.getWithRegex("/([^/]+(?:@|%40)[^/]+)/next/([^/]+)").handler(context -> admitted(context, Anonymous.ALLOWED,
                caller -> longPolls.next(context, caller, RouteTable.decoded(context.pathParam("param0")),
                        RouteTable.decoded(context.pathParam("param1")))));
    }

    /** Streams open now. */
    public int openStreams() {
        return open.size();
    }

    private void sse(RoutingContext context) {
        admitted(context, Anonymous.WATCHING_CHANNELS, caller -> {
            Request request = request(context, caller);
            String client = gate.client(context.request());
            OpenStreams.Slot slot = take(client, caller);
            if (context.response().closed()) {
                slot.release(); // gone while its credentials were checked
                return;
            }
            SseStream stream = new SseStream(context.response(), caller.jid(), request.channels(), caller.accessToken(),
                    client, config.live().maxQueuedPerStream());
            open.add(stream);
            stream.begin(() -> release(stream, slot));
            feed.hub().open(stream, request.since());
        });
    }

    private void webSocket(RoutingContext context) {
        admitted(context, Anonymous.WATCHING_CHANNELS, caller -> {
            Request request = request(context, caller);
            String client = gate.client(context.request());
            OpenStreams.Slot slot = take(client, caller);
            context.request().toWebSocket().onSuccess(socket -> {
                WebSocketStream stream = new WebSocketStream(socket, caller.jid(), request.channels(), caller.accessToken(),
                        client, config.live().maxQueuedPerStream());
                open.add(stream);
                stream.begin(() -> release(stream, slot));
                feed.hub().open(stream, request.since());
            }).onFailure(failure -> {
                slot.release();
                refuse(context, new EdgeRefusal(400, "bad-request", "not a WebSocket upgrade: " + failure.getMessage(),
                        Optional.empty(), Optional.empty()));
            });
        });
    }

    /** Whether a caller without credentials may go on: never, to watch named channels, or always (one channel's node). */
    private enum Anonymous { REFUSED, WATCHING_CHANNELS, ALLOWED }

    /** Checks the caller at the edge, then whether the hub is ready and the request is sound. */
    private void admitted(RoutingContext context, Anonymous anonymous, java.util.function.Consumer<Caller> then) {
        HttpServerRequest request = context.request();
        String authorization = request.getHeader("Authorization");
        String parameter = request.getParam("access_token");
        if ((authorization == null || authorization.isBlank()) && parameter != null) {
            authorization = "Bearer " + parameter;
        }
        if (!feed.caughtUp()) {
            refuse(context, EdgeRefusal.serviceFailed(503, "api-gateway", "the live streams are still reading the events"
                    + " they need to know who may hear what; try again shortly"));
            return;
        }
        String requestId = context.get(org.buddycloud.gateway.edge.RequestIds.class.getName());
        Future<Caller> admitted = gate.admit(authorization, gate.client(request), requestId == null ? "" : requestId, true);
        admitted.onSuccess(caller -> {
            if (caller.jid().isEmpty() && (anonymous == Anonymous.REFUSED
                    || (anonymous == Anonymous.WATCHING_CHANNELS && request.params().getAll("channel").isEmpty()))) {
                refuse(context, EdgeRefusal.notAuthorized("log in to hear of what you follow, or name the open channels to watch"));
                return;
            }
            try {
                then.accept(caller);
            } catch (EdgeRefusal refusal) {
                refuse(context, refusal);
            }
        }).onFailure(failure -> refuse(context, failure instanceof EdgeRefusal refusal ? refusal
                : EdgeRefusal.serviceFailed(502, "api-gateway", failure.toString())));
    }

    private record Request(Set<Jid> channels, Optional<Position> since) {
    }

    private static Request request(RoutingContext context, Caller caller) {
        Set<Jid> channels = new HashSet<>();
        List<String> named = context.request().params().getAll("channel");
        if (named.size() > 100) {
            throw badRequest("at most 100 channels per stream");
        }
        for (String channel : named) {
            try {
                channels.add(Jid.parse(channel).toBare());
            } catch (InvalidJidException e) {
                throw badRequest("channel is not a JID: " + channel);
            }
        }
        String since = context.request().getHeader("Last-Event-ID");
        if (since == null || since.isBlank()) {
            since = context.request().getParam("since");
        }
        try {
            return new Request(channels, since == null || since.isBlank() ? Optional.empty() : Optional.of(Position.parse(since)));
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    static EdgeRefusal badRequest(String detail) {
        return new EdgeRefusal(400, "bad-request", detail, Optional.empty(), Optional.empty());
    }

    private OpenStreams.Slot take(String client, Caller caller) {
        return streams.take(client, caller.jid().map(Jid::toString));
    }

    private void release(LiveStream stream, OpenStreams.Slot slot) {
        if (open.remove(stream)) {
            feed.hub().close(stream);
        }
        slot.release();
    }

    /** Ends the streams whose token expired or was revoked, and keeps idle ones alive. */
    @Scheduled(every = "${buddycloud.gateway.live.token-check-interval:1s}")
    void checkStreams() {
        long now = System.nanoTime();
        long heartbeat = config.live().heartbeat().toNanos();
        for (LiveStream stream : open) {
            if (stream.token().isPresent() && !gate.auth().stillValid(stream.token().get())) {
                stream.end("token-expired", "the token of this stream expired or was revoked; reconnect with a new one");
            } else if (stream.idleNanos(now) >= heartbeat) {
                stream.keepAlive();
            }
        }
        longPolls.expire();
    }

    private void refuse(RoutingContext context, EdgeRefusal refusal) {
        Problems.write(context.response(), refusal, context.request().path(),
                Problems.CHALLENGE, json);
    }

}
