package org.buddycloud.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

    private final RouteTable routes = new RouteTable();

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
            "GET, /juliet@localhost/content/posts, CHANNEL_SERVER, /juliet@localhost/content/posts",
            "POST, /account, CHANNEL_SERVER, /account",
            "POST, /auth/token, CHANNEL_SERVER, /auth/token",
            "GET, /subscribed, CHANNEL_SERVER, /subscribed",
            "GET, /sync, CHANNEL_SERVER, /sync",
            "POST, /juliet@localhost, CHANNEL_SERVER, /juliet@localhost",
            "POST, /juliet@localhost/similar, CHANNEL_SERVER, /juliet@localhost/similar",
            "GET, /juliet@localhost/media, MEDIA_SERVER, /juliet@localhost",
            "GET, /juliet%40localhost/media/abc, MEDIA_SERVER, /juliet%40localhost/abc",
            "POST, /juliet@localhost/media, MEDIA_SERVER, /juliet@localhost",
            "GET, /juliet@localhost/media/abc, MEDIA_SERVER, /juliet@localhost/abc",
            "PUT, /juliet@localhost/media/avatar, MEDIA_SERVER, /juliet@localhost/avatar",
            "GET, /juliet@localhost/media/abc/metadata, MEDIA_SERVER, /juliet@localhost/abc/metadata",
            "GET, /media_proxy/juliet@localhost/abc, MEDIA_SERVER, /juliet@localhost/abc",
            "PUT, /upload/Zm9vYmFyYmF6cXV4cXV1eGNvcmdl/balcony%20scene.jpg, MEDIA_SERVER, /upload/Zm9vYmFyYmF6cXV4cXV1eGNvcmdl/balcony%20scene.jpg",
            "GET, /upload/Zm9vYmFyYmF6cXV4cXV1eGNvcmdl/a.jpg, MEDIA_SERVER, /upload/Zm9vYmFyYmF6cXV4cXV1eGNvcmdl/a.jpg",
            "GET, /search, SEARCH_SERVICE, /search",
            "GET, /recommendations, TASTE_ENGINE, /recommendations",
            "GET, /most_active, TASTE_ENGINE, /most_active",
            "GET, /juliet@localhost/similar, TASTE_ENGINE, /juliet@localhost/similar",
            "POST, /match_contacts, FRIEND_FINDER, /match_contacts",
            "POST, /lookup, FRIEND_FINDER, /lookup",
            "POST, /claims/abc/verify, FRIEND_FINDER, /claims/abc/verify",
            "POST, /notification_settings, PUSH_SERVER, /notification_settings",
            "GET, /notification_metadata, PUSH_SERVER, /notification_metadata",
            "DELETE, /devices/x, PUSH_SERVER, /devices/x",
            "GET, /vapid_public_key, PUSH_SERVER, /vapid_public_key",
            "GET, /index.htm, CHANNEL_SERVER, /index.htm",
            "GET, /.well-known/jwks.json, CHANNEL_SERVER, /.well-known/jwks.json",
    })
    void sendsEachPathToTheServiceThatOwnsIt(String method, String path, Upstream upstream, String upstreamPath) {
        Route route = routes.route(method, path);
        assertEquals(upstream, route.upstream().orElseThrow());
        assertEquals(upstreamPath, route.path());
    }

    @ParameterizedTest
    @CsvSource({"GET, /whoami", "GET, /q/health/ready", "GET, /q/openapi", "GET, /notifications/stream",
            "GET, /notifications/posts", "GET, /juliet@localhost/next/posts", "GET, /juliet%40localhost/next/posts",
            "GET, /xmpp-websocket"})
    void answersItsOwnPaths(String method, String path) {
        assertTrue(routes.route(method, path).local());
    }

    @ParameterizedTest
    @CsvSource({"GET, /", "GET, /index.html", "GET, /sw.js", "GET, /app/main.js", "GET, /app/app.css", "GET, /sdk/buddycloud.js",
            "GET, /app/no-such-file.js", "GET, /app", "GET, /sdk/", "HEAD, /app/main.js", "GET, /%61pp/main.js"})
    void servesTheWebClientItself(String method, String path) {
        Route route = routes.route(method, path);
        assertTrue(route.local(), path);
        assertFalse(route.proxied(), path);
        assertTrue(RouteTable.webClient(path), path);
    }

    @ParameterizedTest
    @CsvSource({"/index.htm", "/sw.js/x", "/juliet@localhost/app", "/application", "/xmpp-websocket", "/notifications/stream",
            "/whoami"})
    void otherPathsAreNotTheWebClients(String path) {
        assertFalse(RouteTable.webClient(path), path);
    }

    @ParameterizedTest
    @CsvSource({"POST, /internal/confirm", "GET, /media_proxy", "GET, relative"})
    void neverExposesInternalPaths(String method, String path) {
        Route route = routes.route(method, path);
        assertFalse(route.proxied());
        assertFalse(route.local());
    }

    @ParameterizedTest
    @CsvSource({"GET, /x/../q/metrics", "GET, /alice@x/media/../../q/metrics", "GET, /devices/%2e%2e/q/health",
            "POST, /x/%2E%2E/internal/confirm", "GET, /alice@x%2Fmedia", "GET, /alice@x;jsessionid=1/content/posts",
            "GET, /./whoami", "GET, /app/../internal/confirm", "GET, /sdk/%2e%2e/q/metrics"})
    void refusesPathsAServiceWouldResolveDifferently(String method, String path) {
        Route route = routes.route(method, path);
        assertTrue(route.malformed().isPresent(), path);
        assertFalse(route.proxied());
    }

    @org.junit.jupiter.api.Test
    void onlyUploadsCarryCredentialsTheEdgeLeavesToTheService() {
        assertTrue(RouteTable.carriesOwnCredentials("/upload/Zm9vYmFyYmF6cXV4cXV1eGNvcmdl/a.jpg"));
        assertTrue(RouteTable.carriesOwnCredentials("/%75pload/Zm9vYmFyYmF6cXV4cXV1eGNvcmdl/a.jpg"));
        assertFalse(RouteTable.carriesOwnCredentials("/juliet@localhost/media/upload"));
        assertFalse(RouteTable.carriesOwnCredentials("/uploads/x"));
        assertFalse(RouteTable.carriesOwnCredentials("/whoami"));
    }
}
