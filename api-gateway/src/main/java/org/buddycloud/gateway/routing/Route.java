package org.buddycloud.gateway.routing;

import java.util.Optional;

/**
 * Where a request goes: to {@code upstream} at {@code path} (still percent-encoded as it came), answered by the
 * gateway itself ({@link #local()}), refused as unknown ({@link #none()}) or as malformed ({@link #malformed}).
 */
public record Route(Optional<Upstream> upstream, String path, boolean local, Optional<String> malformed) {

    public static Route to(Upstream upstream, String path) {
        return new Route(Optional.of(upstream), path, false, Optional.empty());
    }

    public static Route here() {
        return new Route(Optional.empty(), null, true, Optional.empty());
    }

    public static Route none() {
        return new Route(Optional.empty(), null, false, Optional.empty());
    }

    public static Route malformed(String reason) {
        return new Route(Optional.empty(), null, false, Optional.of(reason));
    }

    public boolean proxied() {
        return upstream.isPresent();
    }
}
