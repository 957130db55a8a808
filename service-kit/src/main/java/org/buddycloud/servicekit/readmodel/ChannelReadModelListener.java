package org.buddycloud.servicekit.readmodel;

import org.buddycloud.contracts.events.ChannelDeleted;

/**
 * What a service keeps of a channel beyond the read model (the media server its files): told, inside the
 * transaction that removes the channel from the read model, so that both go together.
 */
public interface ChannelReadModelListener {

    /**
     * The channel was deleted. Runs in the read model's transaction; the returned work runs after commit
     * (what cannot be undone, such as removing bytes from S3).
     */
    Runnable channelDeleted(ChannelDeleted deleted);
}
