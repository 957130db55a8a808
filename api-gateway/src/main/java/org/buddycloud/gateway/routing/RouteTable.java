package org.buddycloud.gateway.routing;

import java.util.Set;

/**
 * Which service answers a path of the old buddycloud HTTP API (PROTOCOL.md §2.2). Channels are JIDs and so always
 * hold an {@code @}; the other services' paths are single words without one, so the two never meet. What is not
 * anybody else's belongs to the channel server, except its internal API and its operator endpoints, which the
 * public never reaches. The root and {@code /app/…}, {@code /sdk/…}, {@code /sw.js} are the web client, served by the
 * gateway from its own origin so that the app's strict Content-Security-Policy ('self') covers every API it calls.
 */
public final class RouteTable {

    /**
     * Answered by the gateway itself: its own operator endpoints, the caller check, the live streams, and XMPP over
     * WebSocket, which the gateway relays to the channel server frame by frame (a WebSocket is not proxied like a
     * request: {@code XmppWebSocketRoute}).
     */
    private static final Set<String> LOCAL_ROOTS = Set.of("q", "whoami", "notifications", "xmpp-websocket");
    /** The web client's files (the web-client jar's META-INF/resources), served from the gateway's own origin. */
    private static final Set<String> WEB_CLIENT_ROOTS = Set.of("app", "sdk");
    private static final Set<String> WEB_CLIENT_FILES = Set.of("", "index.html", "sw.js");
    /** The push server's public API. */
    private static final Set<String> PUSH_ROOTS = Set.of("notification_settings", "notification_metadata",
            "notification_preferences", "devices", "vapid_public_key", "mail");
    private static final Set<String> TASTE_ROOTS = Set.of("recommendations", "most_active");
    private static final Set<String> FRIEND_ROOTS = Set.of("match_contacts", "hash_details", "claims", "lookup");
    /** Paths of the channel server that are for the other services or operators, never for apps. */
    private static final Set<String> HIDDEN_ROOTS = Set.of("internal");
    /** The old API's raw pass-through to the media server, for clients that do their own XEP-0070. */
    private static final String MEDIA_PROXY = "media_proxy";
    /** XEP-0363 uploads ({@code /upload/{slot}/{filename}}): the URLs the channel server's slots name, at the media server. */
    private static final String UPLOAD = "upload";

    public Route route(String method, String path) {
        if (path == null || !path.startsWith("/")) {
            return Route.none();
        }
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            String plain = decoded(segment);
            // a service behind would resolve these after the gateway chose where the path goes: /x/../internal/…
            if (plain.equals(".") || plain.equals("..") || plain.indexOf('/') >= 0 || plain.indexOf('\\') >= 0
                    || segment.indexOf(';') >= 0) {
                return Route.malformed("a path may not hold dot segments, encoded slashes or parameters (;)");
            }
        }
        // clients encode the @ of a JID (%40) or not; the decision is on the decoded segment, the path goes on as it came
        String first = decoded(segments[0]);
        if (LOCAL_ROOTS.contains(first) || webClient(segments)) {
            return Route.here();
        }
        if (PUSH_ROOTS.contains(first)) {
            return Route.to(Upstream.PUSH_SERVER, path);
        }
        if (first.equals("search")) {
            return Route.to(Upstream.SEARCH_SERVICE, path);
        }
        if (TASTE_ROOTS.contains(first)) {
            return Route.to(Upstream.TASTE_ENGINE, path);
        }
        if (FRIEND_ROOTS.contains(first)) {
            return Route.to(Upstream.FRIEND_FINDER, path);
        }
        if (HIDDEN_ROOTS.contains(first)) {
            return Route.none();
        }
        if (first.equals(UPLOAD)) {
            return Route.to(Upstream.MEDIA_SERVER, path);
        }
        if (first.equals(MEDIA_PROXY)) {
            return segments.length > 1 && !segments[1].isEmpty()
                    ? Route.to(Upstream.MEDIA_SERVER, path.substring(MEDIA_PROXY.length() + 1)) : Route.none();
        }
        if (segments.length >= 2 && first.contains("@")) {
            return channelPath(method, segments[0], segments, path);
        }
        return Route.to(Upstream.CHANNEL_SERVER, path);
    }

    /**
     * Whether the request's {@code Authorization} is no access token but a credential only the service can judge: an
     * XEP-0363 slot token (its audience is the media server's uploads). The edge passes it on untouched.
     */
    public static boolean carriesOwnCredentials(String path) {
        return path != null && path.startsWith("/") && decoded(path.substring(1).split("/", -1)[0]).equals(UPLOAD);
    }

    /** Whether the request uploads an account archive to import, which may be far larger than other bodies. */
    public static boolean isArchiveUpload(String method, String path) {
        return "POST".equals(method) && "/account/imports".equals(path);
    }

    /** Whether {@code path} (a well-formed one, as {@link #route} accepts) is one of the web client's files. */
    public static boolean webClient(String path) {
        return path != null && path.startsWith("/") && webClient(path.substring(1).split("/", -1));
    }

    private static boolean webClient(String[] segments) {
        String first = decoded(segments[0]);
        return WEB_CLIENT_ROOTS.contains(first) || (segments.length == 1 && WEB_CLIENT_FILES.contains(first));
    }

    /** A path segment percent-decoded ({@code +} stays a plus); as it came when it is not valid encoding. */
    public static String decoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    /** {@code /{channel}/media…} is the media server's {@code /{channel}…}; {@code /{channel}/next/{node}} is live. */
    private static Route channelPath(String method, String channel, String[] segments, String path) {
        String second = decoded(segments[1]);
        if (second.equals("media")) {
            return Route.to(Upstream.MEDIA_SERVER, "/" + channel + path.substring(1 + channel.length() + "/media".length()));
        }
        if (second.equals("next") && segments.length == 3 && "GET".equals(method)) {
            return Route.here();
        }
        if (second.equals("similar") && segments.length == 2 && "GET".equals(method)) {
            return Route.to(Upstream.TASTE_ENGINE, path);
        }
        return Route.to(Upstream.CHANNEL_SERVER, path);
    }
}
