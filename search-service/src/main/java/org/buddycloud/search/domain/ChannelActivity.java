package org.buddycloud.search.domain;

/** How many posts a channel had in the period asked about; its directory entry when the index has one, else null. */
public record ChannelActivity(org.buddycloud.contracts.jid.Jid channel, long posts, ChannelEntry entry) {

    /** In the directory's lists: not when its owner asked not to be advertised. */
    public boolean listed() {
        return entry == null || entry.advertised();
    }
}
