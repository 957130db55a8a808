package org.buddycloud.push.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.List;
import javax.sql.DataSource;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.push.domain.ChannelMembers;
import org.buddycloud.servicekit.jdbc.Sql;
import org.buddycloud.servicekit.readmodel.ChannelAccessStore;

/**
 * {@link ChannelMembers} from the service kit's channel read model, which the channel events keep in this
 * service's database. Who wants every post of the channels they follow is a join with this service's own targets,
 * so that a channel with a hundred thousand followers costs one query for the few who asked.
 */
@ApplicationScoped
public class ReadModelMembers implements ChannelMembers {

    private final ChannelAccessStore access;
    private final Sql sql;

    ReadModelMembers(ChannelAccessStore access, DataSource dataSource) {
        this.access = access;
        this.sql = new Sql(dataSource);
    }

    /** Whether the read model has heard of the channel yet (or still: a deleted channel is forgotten). */
    public boolean knows(Jid channel) {
        return access.accessModel(channel).isPresent();
    }

    @Override
    public Standing standing(Jid channel, Jid jid) {
        return access.standing(channel, jid);
    }

    @Override
    public List<Jid> owners(Jid channel) {
        return access.withAffiliation(channel, EnumSet.of(Affiliation.OWNER));
    }

    @Override
    public List<Jid> managers(Jid channel) {
        return access.withAffiliation(channel, EnumSet.of(Affiliation.OWNER, Affiliation.MODERATOR));
    }

    @Override
    public List<Jid> followersWantingEveryPost(Jid channel) {
        return sql.list("SELECT DISTINCT m.jid FROM channel_members m JOIN push_targets t ON t.owner = m.jid "
                        + "WHERE m.channel = ? AND m.subscription = 'SUBSCRIBED' AND t.post_on_subscribed_channel",
                rs -> Jid.parse(rs.getString(1)), channel.toBare().toString());
    }
}
