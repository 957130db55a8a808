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
        return offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }
}
