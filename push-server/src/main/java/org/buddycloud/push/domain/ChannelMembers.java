package org.buddycloud.push.domain;

import java.util.List;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.jid.Jid;

/**
 * What the push server knows of a channel's {@code /posts} node, from its read model of the channel events (it
 * never asks the channel server per event).
 */
public interface ChannelMembers {

    /** Where {@code jid} stands with the channel; a stranger when the events never said. */
    Standing standing(Jid channel, Jid jid);

    /** The channel's owners: those told of every post in it. */
    List<Jid> owners(Jid channel);

    /** The channel's owners and moderators: those told of follows and asked about follow requests. */
    List<Jid> managers(Jid channel);

    /** The channel's followers who asked to hear of every post in it ({@code postOnSubscribedChannel}). */
    List<Jid> followersWantingEveryPost(Jid channel);
}
