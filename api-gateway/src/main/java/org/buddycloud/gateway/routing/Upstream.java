package org.buddycloud.gateway.routing;

/** The services behind the gateway, by the names their problems and logs use. */
public enum Upstream {
    CHANNEL_SERVER("channel-server"),
    MEDIA_SERVER("media-server"),
    PUSH_SERVER("push-server"),
    SEARCH_SERVICE("search-service"),
    TASTE_ENGINE("taste-engine"),
    FRIEND_FINDER("friend-finder");

    private final String serviceName;

    Upstream(String serviceName) {
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }
}
