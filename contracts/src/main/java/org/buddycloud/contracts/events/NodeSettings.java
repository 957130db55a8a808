package org.buddycloud.contracts.events;

import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;

/**
 * The configuration of a node that consumers act on (PROTOCOL.md §1.3). An ephemeral node makes
 * every follower a moderator and goes away when its last follower leaves.
 */
public record NodeSettings(String title, String description, AccessModel accessModel,
                           Affiliation defaultAffiliation, boolean advertised, boolean ephemeral) {
}
