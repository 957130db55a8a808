package org.buddycloud.channels.domain;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.events.NodeSettings;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * A node's configuration (PROTOCOL.md §1.3). {@code channelType}, {@code creator},
 * {@code createdAt}, {@code contentType} and {@code ephemeral} are fixed at creation; {@code updatedAt} is the
 * server's; the rest the owner and moderators change with a {@link ConfigChange}.
 */
public record NodeConfig(String title, String description, AccessModel accessModel, Affiliation defaultAffiliation,
                         ChannelType channelType, Jid creator, Instant createdAt, Instant updatedAt, boolean advertised,
                         String contentType, Geo location, boolean ephemeral) {

    public static final String ATOM = "http://www.w3.org/2005/Atom";
    static final int MAX_TITLE = 128;
    static final int MAX_DESCRIPTION = 1024;

    /** A place a channel is about (the directory's "nearby"). */
    public record Geo(Double latitude, Double longitude, String text) {
        public Geo {
            // written so that NaN fails too: no comparison with NaN is true
            if (latitude != null && !(latitude >= -90 && latitude <= 90) || longitude != null && !(longitude >= -180 && longitude <= 180)) {
                throw new DomainException(Condition.BAD_REQUEST, "latitude must lie in [-90, 90] and longitude in [-180, 180]");
            }
        }
    }

    public static NodeConfig initial(NodeName node, ChannelType type, Jid creator, AccessModel accessModel,
                                     Affiliation defaultAffiliation, Instant now) {
        String title = node.is(NodeName.POSTS) ? node.channel() + "'s very own buddycloud channel" : node.channel() + " " + node.type();
        return new NodeConfig(title, "", accessModel, defaultAffiliation, type, creator, now, now, true, ATOM, null, false);
    }

    /** The same configuration for a node that makes every follower a moderator and ends with its last follower. */
    public NodeConfig asEphemeral() {
        return new NodeConfig(title, description, accessModel, defaultAffiliation, channelType, creator, createdAt, updatedAt,
                advertised, contentType, location, true);
    }

    /** This configuration with the change applied; refuses invalid values and changes to fixed fields. */
    public NodeConfig apply(ConfigChange change, Instant now) {
        requireUnchanged("channel_type", change.channelType(), channelType);
        requireUnchanged("creator", change.creator(), creator);
        requireUnchanged("creation_date", change.createdAt(), createdAt);
        requireUnchanged("type", change.contentType(), contentType);
        requireUnchanged("ephemeral", change.ephemeral(), ephemeral);
        String newTitle = change.title() == null ? title : bounded("title", change.title(), MAX_TITLE);
        String newDescription = change.description() == null ? description : bounded("description", change.description(), MAX_DESCRIPTION);
        Affiliation newDefault = change.defaultAffiliation() == null ? defaultAffiliation : change.defaultAffiliation();
        if (newDefault != Affiliation.MEMBER && newDefault != Affiliation.PUBLISHER) {
            throw new DomainException(Condition.BAD_REQUEST, "default_affiliation must be member or publisher");
        }
        return new NodeConfig(newTitle, newDescription, change.accessModel() == null ? accessModel : change.accessModel(),
                newDefault, channelType, creator, createdAt, now, change.advertised() == null ? advertised : change.advertised(),
                contentType, change.location() == null ? location : change.location(), ephemeral);
    }

    public NodeSettings settings() {
        NodeSettings.Place place = location == null ? null
                : new NodeSettings.Place(location.latitude(), location.longitude(), location.text());
        return new NodeSettings(title, description, accessModel, defaultAffiliation, advertised, ephemeral, place);
    }

    private static String bounded(String field, String value, int max) {
        if (value.codePointCount(0, value.length()) > max) {
            throw new DomainException(Condition.BAD_REQUEST, field + " is longer than " + max + " characters");
        }
        return value;
    }

    private static void requireUnchanged(String field, Object requested, Object current) {
        if (requested != null && !requested.equals(current)) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.IMMUTABLE_FIELD, field + " cannot be changed");
        }
    }
}
