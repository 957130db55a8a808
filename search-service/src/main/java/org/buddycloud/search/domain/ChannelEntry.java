package org.buddycloud.search.domain;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;

/**
 * A channel in the directory: its {@code /posts} node's configuration (which stands for the channel) and the place it
 * is about.
 *
 * @param type         null when the channel's creation was never seen (an index fed from the middle of the topics)
 * @param advertised   false when the owner asked not to be listed ({@code pubsub#advertise}); such channels are
 *                     found by nobody's directory queries
 * @param configuredAt when {@code accessModel} was set: a post event older than that was judged by an outdated one
 */
public record ChannelEntry(Jid channel, ChannelType type, Jid owner, String title, String description,
                           AccessModel accessModel, Affiliation defaultAffiliation, boolean advertised, Instant created,
                           Instant configuredAt, Double lat, Double lon, String place) {

    public boolean located() {
        return lat != null && lon != null;
    }
}
