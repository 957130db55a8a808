package org.buddycloud.channels.xmpp.accept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/** Which components the server lets in, as configured in properties or the environment. */
class AcceptedComponentsTest {

    private static Map<String, String> accepted(ConfigSource source) {
        XmppConfig config = new SmallRyeConfigBuilder().withMapping(XmppConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).withSources(source).build().getConfigMapping(XmppConfig.class);
        return ConnectedComponents.accepted(config.components(), "localhost", "channels.localhost");
    }

    private static Map<String, String> accepted(Map<String, String> properties) {
        return accepted(new PropertiesConfigSource(properties, "test", 500));
    }

    @Test
    void noneByDefault() {
        assertEquals(Map.of(), accepted(Map.of()));
    }

    @Test
    void aComponentIsNamedByItsDomainInQuotes() {
        assertEquals(Map.of("directory.localhost", "s3cret"),
                accepted(Map.of("buddycloud.xmpp.components.accept.\"directory.localhost\".secret", "s3cret")));
    }

    @Test
    void theEnvironmentNamesItWithDoubleUnderscoresForTheQuotes() {
        assertEquals(Map.of("directory.localhost", "s3cret"), accepted(new EnvConfigSource(
                Map.of("BUDDYCLOUD_XMPP_COMPONENTS_ACCEPT__DIRECTORY_LOCALHOST__SECRET", "s3cret"), 300)));
    }

    @Test
    void theServersOwnAddressesAreNotForComponents() {
        assertThrows(IllegalStateException.class,
                () -> accepted(Map.of("buddycloud.xmpp.components.accept.\"channels.localhost\".secret", "s3cret")));
    }

    @Test
    void aNameWithoutADotIsASubdomainOfTheServers() {
        assertEquals(Map.of("directory.localhost", "s3cret"),
                accepted(Map.of("buddycloud.xmpp.components.accept.directory.secret", "s3cret")));
        assertEquals(Map.of("directory.localhost", "s3cret"), accepted(new EnvConfigSource(
                Map.of("BUDDYCLOUD_XMPP_COMPONENTS_ACCEPT_DIRECTORY_SECRET", "s3cret"), 300)));
    }

    @Test
    void aNameWithALocalpartIsRefused() {
        assertThrows(IllegalStateException.class,
                () -> accepted(Map.of("buddycloud.xmpp.components.accept.\"search@directory.localhost\".secret", "s3cret")));
    }
}
