package org.buddycloud.channels.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In component mode the component is the channel service: one address, however it is configured. */
class XmppAddressesTest {

    private static XmppConfig config(Map<String, String> properties) {
        // Quarkus's own converter reads durations such as the default idle timeout, 5m
        return new SmallRyeConfigBuilder().withMapping(XmppConfig.class).withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build().getConfigMapping(XmppConfig.class);
    }

    @Test
    void theChannelServiceIsChannelsOfTheDomainByDefault() {
        assertEquals("channels.example.com", XmppAddresses.channelService("example.com", config(Map.of())));
    }

    @Test
    void theComponentNameNamesTheChannelServiceWhenItIsNotSetItself() {
        assertEquals("pubsub.example.com", XmppAddresses.channelService("example.com",
                config(Map.of("buddycloud.xmpp.component.name", "pubsub.example.com"))));
        assertEquals("pubsub.example.com", XmppAddresses.channelService("example.com",
                config(Map.of("buddycloud.xmpp.channel-service", "pubsub.example.com"))));
        assertEquals("pubsub.example.com", XmppAddresses.channelService("example.com", config(Map.of(
                "buddycloud.xmpp.channel-service", "pubsub.example.com", "buddycloud.xmpp.component.name", "pubsub.example.com"))));
    }

    @Test
    void aComponentNameOtherThanTheChannelServiceIsRefusedAtStartup() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> XmppAddresses.channelService("example.com",
                config(Map.of("buddycloud.xmpp.channel-service", "channels.example.com", "buddycloud.xmpp.component.name", "bc.example.com"))));
        assertTrue(refused.getMessage().contains("bc.example.com") && refused.getMessage().contains("channels.example.com"),
                refused.getMessage());
    }
}
