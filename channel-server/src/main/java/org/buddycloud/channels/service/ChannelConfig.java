package org.buddycloud.channels.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;
import org.buddycloud.contracts.channel.AccessModel;

/** Defaults of new channels and limits of posts. */
@ConfigMapping(prefix = "buddycloud.channels")
public interface ChannelConfig {

    /** Where topic channels live; {@code topics.<buddycloud.domain>} when unset. */
    Optional<String> topicsDomain();

    /** The access model of new nodes. */
    @WithDefault("open")
    String accessModel();

    /** The access model of new location nodes: where a user is stays among approved followers by default. */
    @WithDefault("authorize")
    String geoAccessModel();

    /** The longest post content, in characters. */
    @WithDefault("100000")
    int maxContentLength();

    default AccessModel defaultAccessModel() {
        return AccessModel.fromWire(accessModel());
    }

    default AccessModel defaultGeoAccessModel() {
        return AccessModel.fromWire(geoAccessModel());
    }
}
