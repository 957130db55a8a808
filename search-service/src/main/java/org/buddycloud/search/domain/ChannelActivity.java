package org.buddycloud.search.domain;

/** How many posts a channel had in the period asked about; its directory entry when the index has one, else null. */
public record ChannelActivity(org.buddycloud.contracts.jid.Jid channel, long posts, ChannelEntry entry) {
}
