package org.buddycloud.channels.domain;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;

/**
 * The fields a client asks to change; {@code null} leaves a field as it is. The fixed fields may be
 * sent (clients often send the whole form back) but only with their current value.
 */
public record ConfigChange(String title, String description, AccessModel accessModel, Affiliation defaultAffiliation,
                           Boolean advertised, NodeConfig.Geo location,
                           ChannelType channelType, Jid creator, Instant createdAt, String contentType, Boolean ephemeral) {

    /** A change that does not mention {@code ephemeral} (only creation decides it). */
    public ConfigChange(String title, String description, AccessModel accessModel, Affiliation defaultAffiliation,
                        Boolean advertised, NodeConfig.Geo location, ChannelType channelType, Jid creator, Instant createdAt,
                        String contentType) {
        this(title, description, accessModel, defaultAffiliation, advertised, location, channelType, creator, createdAt,
                contentType, null);
    }

    public static ConfigChange of(String title, String description, AccessModel accessModel, Affiliation defaultAffiliation) {
        return new ConfigChange(title, description, accessModel, defaultAffiliation, null, null, null, null, null, null);
    }
}
