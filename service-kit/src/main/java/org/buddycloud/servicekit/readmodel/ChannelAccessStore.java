package org.buddycloud.servicekit.readmodel;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;

/**
 * The read model's tables (the kit's {@code channel-read-model} migration): each channel's {@code /posts}
 * access model, and every JID's affiliation and subscription there — what the access rule needs to decide
 * for a service other than the channel server.
 */
@ApplicationScoped
@IfBuildProperty(name = ChannelReadModel.ENABLED, stringValue = "true")
public class ChannelAccessStore {

    private final Sql sql;

    ChannelAccessStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** The channel's /posts access model; empty for a channel the events never mentioned (or that was deleted). */
    public Optional<AccessModel> accessModel(Jid channel) {
        return sql.one("SELECT access_model FROM channel_access WHERE channel = ?",
                rs -> AccessModel.valueOf(rs.getString(1)), channel.toString());
    }

    /** Where {@code jid} stands with the channel's /posts node; a stranger when the events never said. */
    public Standing standing(Jid channel, Jid jid) {
        return sql.one("SELECT affiliation, subscription FROM channel_members WHERE channel = ? AND jid = ?",
                rs -> Standing.of(Affiliation.valueOf(rs.getString(1)), Subscription.valueOf(rs.getString(2))),
                channel.toString(), jid.toBare().toString()).orElse(Standing.STRANGER);
    }

    /** Where a JID stands with a channel's {@code /posts} node. */
    public record Membership(Jid channel, Standing standing) {
    }

    /**
     * Every channel {@code jid} has a standing with (an affiliation or a subscription): what a query across channels
     * needs to decide, by the shared rule and the access model it holds for each entry, which of them the JID may read.
     */
    public List<Membership> memberships(Jid jid) {
        return sql.list("SELECT channel, affiliation, subscription FROM channel_members WHERE jid = ?",
                rs -> new Membership(Jid.parse(rs.getString(1)),
                        Standing.of(Affiliation.valueOf(rs.getString(2)), Subscription.valueOf(rs.getString(3)))),
                jid.toBare().toString());
    }

    /** The JIDs with one of {@code affiliations} in the channel, in no particular order. */
    public List<Jid> withAffiliation(Jid channel, Set<Affiliation> affiliations) {
        if (affiliations.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(affiliations.size(), "?"));
        List<Object> params = new ArrayList<>();
        params.add(channel.toString());
        affiliations.forEach(a -> params.add(a.name()));
        return sql.list("SELECT jid FROM channel_members WHERE channel = ? AND affiliation IN (" + marks + ")",
                rs -> Jid.parse(rs.getString(1)), params.toArray());
    }

    void channel(Jid channel, AccessModel model, Instant at) {
        sql.update("INSERT INTO channel_access (channel, access_model, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (channel) DO UPDATE SET access_model = excluded.access_model, updated_at = excluded.updated_at",
                channel.toString(), model.name(), at);
    }

    void deleteChannel(Jid channel) {
        sql.update("DELETE FROM channel_members WHERE channel = ?", channel.toString());
        sql.update("DELETE FROM channel_access WHERE channel = ?", channel.toString());
    }

    void affiliation(Jid channel, Jid jid, Affiliation affiliation) {
        sql.update("INSERT INTO channel_members (channel, jid, affiliation, subscription) VALUES (?, ?, ?, 'NONE') "
                + "ON CONFLICT (channel, jid) DO UPDATE SET affiliation = excluded.affiliation",
                channel.toString(), jid.toBare().toString(), affiliation.name());
        if (affiliation == Affiliation.NONE) {
            forgetStrangers(channel, jid);
        }
    }

    void membership(Jid channel, Jid jid, Affiliation affiliation, Subscription subscription) {
        if (affiliation == Affiliation.NONE && subscription == Subscription.NONE) {
            sql.update("DELETE FROM channel_members WHERE channel = ? AND jid = ?", channel.toString(), jid.toBare().toString());
            return;
        }
        sql.update("INSERT INTO channel_members (channel, jid, affiliation, subscription) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (channel, jid) DO UPDATE SET affiliation = excluded.affiliation, subscription = excluded.subscription",
                channel.toString(), jid.toBare().toString(), affiliation.name(), subscription.name());
    }

    /** A JID with neither affiliation nor subscription needs no row (its subscription is whatever the row held). */
    private void forgetStrangers(Jid channel, Jid jid) {
        sql.update("DELETE FROM channel_members WHERE channel = ? AND jid = ? AND affiliation = 'NONE' AND subscription = 'NONE'",
                channel.toString(), jid.toBare().toString());
    }

    /** Empties the model, so that it is rebuilt from the beginning of the topics. */
    void clear() {
        sql.update("DELETE FROM channel_members");
        sql.update("DELETE FROM channel_access");
    }
}
