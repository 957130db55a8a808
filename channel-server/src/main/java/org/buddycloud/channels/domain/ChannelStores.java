package org.buddycloud.channels.domain;

/** The three stores the channel core works on. */
public record ChannelStores(ChannelStore channels, MembershipStore memberships, PostStore posts) {
}
