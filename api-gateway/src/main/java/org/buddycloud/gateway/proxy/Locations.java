package org.buddycloud.gateway.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import org.buddycloud.gateway.routing.Upstream;

/**
 * A service's {@code Location} as the caller must see it: on the gateway's origin (a path, which HTTP resolves
 * against the request's URL), under the gateway's path for that service (the media server's {@code /{channel}/{id}}
 * is {@code /{channel}/media/{id}} here). A location elsewhere (another domain's server) is left alone.
 */
final class Locations {

    private Locations() {
    }

    static String rewrite(Upstream upstream, URI upstreamBase, String location) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            return location;
        }
        // a service behind the gateway builds absolute links from the forwarded scheme and its own host, so the port
        // may be the scheme's default: the host alone says whether the link is the service's own
        if (uri.isAbsolute() && !(uri.getHost() != null && uri.getHost().equalsIgnoreCase(upstreamBase.getHost()))) {
            return location;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (upstream == Upstream.MEDIA_SERVER && path.length() > 1) {
            int slash = path.indexOf('/', 1);
            path = slash < 0 ? path + "/media" : path.substring(0, slash) + "/media" + path.substring(slash);
        }
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
