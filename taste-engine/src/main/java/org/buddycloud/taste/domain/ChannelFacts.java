package org.buddycloud.taste.domain;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;

/**
 * What the taste engine shows of a channel beside its JID, and what decides whether it may be suggested (its
 * {@code /posts} node's access model and advertising), as the channel events last told it.
 */
public record ChannelFacts(Jid channel, ChannelType type, Jid owner, String title, String description,
                           AccessModel accessModel, Affiliation defaultAffiliation, boolean advertised, Instant created) {

    /** The same channel with a new {@code /posts} configuration. */
    public ChannelFacts configured(String title, String description, AccessModel accessModel, Affiliation defaultAffiliation,
                                   boolean advertised) {
        return new ChannelFacts(channel, type, owner, title, description, accessModel, defaultAffiliation, advertised, created);
    }
}
