package org.buddycloud.contracts.events;

import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;

/** The configuration of a node that consumers act on (PROTOCOL.md §1.3). */
public record NodeSettings(String title, String description, AccessModel accessModel,
                           Affiliation defaultAffiliation, boolean advertised) {
}
