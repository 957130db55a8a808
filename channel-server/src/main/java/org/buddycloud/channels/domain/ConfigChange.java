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
                           ChannelType channelType, Jid creator, Instant createdAt, String contentType) {

    public static ConfigChange of(String title, String description, AccessModel accessModel, Affiliation defaultAffiliation) {
        return new ConfigChange(title, description, accessModel, defaultAffiliation, null, null, null, null, null, null);
    }
}
