package org.buddycloud.channels.domain;

import org.buddycloud.contracts.jid.Jid;

import org.buddycloud.contracts.channel.AccessModel;

/**
 * @param domain             this server's XMPP domain: its users are local
 * @param topicsDomain       where topic channels live, {@code topics.<domain>} by default
 * @param accessModel        the access model of new nodes
 * @param geoAccessModel     the access model of new location nodes (where a user is deserves privacy)
 * @param maxContentLength   the longest post content accepted, in characters
 */
public record ChannelPolicy(String domain, String topicsDomain, AccessModel accessModel, AccessModel geoAccessModel,
                            int maxContentLength) {

    /** Whether the channel lives on this server (its users' or its topics' domain), rather than being a copy of another's. */
    public boolean hosts(Jid channel) {
        return channel.domain().equals(domain) || channel.domain().equals(topicsDomain);
    }
}
