package org.buddycloud.channels.domain;

import java.time.Instant;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;

/** A bundle of nodes sharing an owner: {@code user@domain} (personal) or {@code name@topics.domain} (topic). */
public record Channel(Jid jid, ChannelType type, Jid owner, Instant createdAt) {
}
