package org.buddycloud.gateway.routing;

import java.util.Optional;

/**
 * Where a request goes: to {@code upstream} at {@code path} (still percent-encoded as it came), answered by the
 * gateway itself ({@link #local()}), or refused as unknown ({@link #none()}).
 */
public record Route(Optional<Upstream> upstream, String path, boolean local) {

    public static Route to(Upstream upstream, String path) {
        return new Route(Optional.of(upstream), path, false);
    }

    public static Route here() {
        return new Route(Optional.empty(), null, true);
    }

    public static Route none() {
        return new Route(Optional.empty(), null, false);
    }

    public boolean proxied() {
        return upstream.isPresent();
    }
}
