package org.buddycloud.contracts.events;

import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;

/**
 * The configuration of a node that consumers act on (PROTOCOL.md §1.3). An ephemeral node makes
 * every follower a moderator and goes away when its last follower leaves.
 *
 * @param location the place the node is about ({@code x-buddycloud#geoloc-*}), or null; the directory's "nearby"
 */
public record NodeSettings(String title, String description, AccessModel accessModel,
                           Affiliation defaultAffiliation, boolean advertised, boolean ephemeral, Place location) {

    /** Settings without a place (events written before places were carried read as this too). */
    public NodeSettings(String title, String description, AccessModel accessModel, Affiliation defaultAffiliation,
                        boolean advertised, boolean ephemeral) {
        this(title, description, accessModel, defaultAffiliation, advertised, ephemeral, null);
    }

    /** A point and its name; either may be missing. */
    public record Place(Double lat, Double lon, String text) {

        /** Both coordinates are known: the place can be found on a map. */
        public boolean located() {
            return lat != null && lon != null;
        }
    }
}
