package org.buddycloud.media.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.media.domain.MediaAction;
import org.buddycloud.media.domain.MediaPermissions.Target;
import org.buddycloud.media.domain.MediaPermissions;
import org.buddycloud.servicekit.readmodel.ChannelAccessStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every media use case asks here first: {@link MediaPermissions} applied to what the kit's channel read model knows. */
@ApplicationScoped
public class ChannelGate {

    private final ChannelAccessStore access;
    private final MediaPermissions permissions;

    ChannelGate(ChannelAccessStore access, @ConfigProperty(name = "buddycloud.domain") String domain) {
        this.access = access;
        this.permissions = new MediaPermissions(domain);
    }

    /** Refuses (401, 403, 404) unless the caller may do this; answers the channel's access model. */
    public AccessModel check(MediaAction action, Optional<Jid> caller, Jid channel, Target target) {
        AccessModel model = access.accessModel(channel.toBare())
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no channel " + channel));
        Standing standing = caller.map(jid -> access.standing(channel.toBare(), jid)).orElse(Standing.STRANGER);
        permissions.check(action, model, caller, standing, target);
        return model;
    }

    public void requireChannel(Jid channel) {
        if (access.accessModel(channel.toBare()).isEmpty()) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no channel " + channel);
        }
    }
}
