package org.buddycloud.gateway.edge;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id that follows a request through the gateway, the services and their logs ({@code X-Request-Id}): the
 * caller's own when it is a sensible token (an app correlating its logs with ours), a new one otherwise.
 */
public final class RequestIds {

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    public static String accept(String offered) {
        if (offered != null && ACCEPTED.matcher(offered).matches()) {
            return offered;
        }
        // an id, not a secret: a UUID from the shared SecureRandom would cost every request a lock
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
