package org.buddycloud.channels.portability;

import java.time.Instant;
import java.util.List;

/**
 * The JSON files of an archive (README "Portable data"). Plain values only — JIDs, nodes and enumerations as the
 * protocol writes them — so the format is the documented one, not whatever a Java type serialises to.
 */
public final class ArchiveParts {

    private ArchiveParts() {
    }

    /** {@code account.json}. */
    public record AccountPart(String jid, String email, Instant createdAt) {
    }

    /** {@code channels/<jid>/channel.json}: a channel the account owns, with its nodes. */
    public record ChannelPart(String jid, String type, String owner, Instant createdAt, List<NodePart> nodes) {
        public ChannelPart {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    /**
     * A node: its configuration, its members, and the Atom feed ({@code posts}, a path in the archive) of its items.
     */
    public record NodePart(String node, String title, String description, String accessModel, String defaultAffiliation,
                           boolean advertised, boolean ephemeral, Place location, Instant createdAt, List<MemberPart> members,
                           String posts, long postCount) {
        public NodePart {
            members = members == null ? List.of() : List.copyOf(members);
        }
    }

    public record Place(Double latitude, Double longitude, String text) {
    }

    public record MemberPart(String jid, String affiliation, String subscription, String invitedBy) {
    }

    /** {@code subscriptions.json}: the account's standing in nodes of channels it does not own. */
    public record SubscriptionPart(String node, String affiliation, String subscription) {
    }

    /** {@code media.json}: one file of a channel's media, its bytes at {@code path}. */
    public record MediaPart(String channel, String id, String path, String fileName, String title, String description,
                            String contentType, long size, String sha256, boolean avatar) {
    }
}
