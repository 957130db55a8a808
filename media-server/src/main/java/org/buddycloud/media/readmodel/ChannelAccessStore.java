package org.buddycloud.media.readmodel;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.media.domain.Member;
import org.buddycloud.servicekit.jdbc.Sql;

/** The read model's tables: channels' access models, members, and how far each partition was applied. */
@ApplicationScoped
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

    public Member member(Jid channel, Jid jid) {
        return sql.one("SELECT affiliation, subscription FROM channel_members WHERE channel = ? AND jid = ?",
                rs -> new Member(Affiliation.valueOf(rs.getString(1)), Subscription.valueOf(rs.getString(2))),
                channel.toString(), jid.toBare().toString()).orElse(Member.STRANGER);
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
        forgetStrangers(channel, jid);
    }

    void membership(Jid channel, Jid jid, Affiliation affiliation, Subscription subscription) {
        sql.update("INSERT INTO channel_members (channel, jid, affiliation, subscription) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (channel, jid) DO UPDATE SET affiliation = excluded.affiliation, subscription = excluded.subscription",
                channel.toString(), jid.toBare().toString(), affiliation.name(), subscription.name());
        forgetStrangers(channel, jid);
    }

    /** A JID with neither affiliation nor subscription needs no row. */
    private void forgetStrangers(Jid channel, Jid jid) {
        sql.update("DELETE FROM channel_members WHERE channel = ? AND jid = ? AND affiliation = 'NONE' AND subscription = 'NONE'",
                channel.toString(), jid.toBare().toString());
    }

    /** The next offset to apply of a partition, locked until the transaction ends (replicas take turns). */
    Optional<Long> lockPosition(TopicPartition partition) {
        sql.update("INSERT INTO event_positions (topic, partition, next_offset) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
                partition.topic(), partition.partition());
        return sql.one("SELECT next_offset FROM event_positions WHERE topic = ? AND partition = ? FOR UPDATE",
                rs -> rs.getLong(1), partition.topic(), partition.partition());
    }

    void position(TopicPartition partition, long nextOffset) {
        sql.update("UPDATE event_positions SET next_offset = ? WHERE topic = ? AND partition = ?", nextOffset, partition.topic(),
                partition.partition());
    }

    Map<TopicPartition, Long> positions(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> found = new HashMap<>();
        for (TopicPartition partition : partitions) {
            sql.one("SELECT next_offset FROM event_positions WHERE topic = ? AND partition = ?", rs -> rs.getLong(1),
                    partition.topic(), partition.partition()).ifPresent(next -> found.put(partition, next));
        }
        return found;
    }

    /** Empties the read model, so that it is rebuilt from the beginning of the topics. */
    void clear() {
        sql.update("DELETE FROM channel_members");
        sql.update("DELETE FROM channel_access");
        sql.update("DELETE FROM event_positions");
    }
}
