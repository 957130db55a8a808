package org.buddycloud.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.buddycloud.gateway.routing.Upstream;
import org.junit.jupiter.api.Test;

class LocationsTest {

    @Test
    void servicesLocationsBecomeTheGatewaysPaths() {
        URI channels = URI.create("http://channel-server:8081");
        assertEquals("/juliet@localhost/content/posts/1", Locations.rewrite(Upstream.CHANNEL_SERVER, channels,
                "http://channel-server:8081/juliet@localhost/content/posts/1"));
        assertEquals("/juliet@localhost/content/posts/2", Locations.rewrite(Upstream.CHANNEL_SERVER, channels,
                "http://channel-server/juliet@localhost/content/posts/2"));
        assertEquals("/juliet@localhost/metadata/posts", Locations.rewrite(Upstream.CHANNEL_SERVER, channels,
                "/juliet@localhost/metadata/posts"));
        URI media = URI.create("http://127.0.0.1:8082");
        assertEquals("/juliet@localhost/media/abc?x=1", Locations.rewrite(Upstream.MEDIA_SERVER, media,
                "http://127.0.0.1:8082/juliet@localhost/abc?x=1"));
        assertEquals("/juliet@localhost/media", Locations.rewrite(Upstream.MEDIA_SERVER, media, "/juliet@localhost"));
    }

    @Test
    void leavesOtherHostsAlone() {
        assertEquals("https://capulet.lit/x", Locations.rewrite(Upstream.CHANNEL_SERVER, URI.create("http://cs:8081"),
                "https://capulet.lit/x"));
    }
}
