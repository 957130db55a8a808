package org.buddycloud.media.domain;

import java.util.Optional;
import org.buddycloud.contracts.access.Action;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;

/**
 * What a media request is, in terms of the one access rule ({@link Permissions}): a file of a channel is
 * read as the channel's posts are read, stored as a post is published and changed or deleted as a post is
 * retracted (one's own, or anybody's for owners and moderators). Avatars are the exception: anyone may
 * see them, whatever the channel's access model (PROTOCOL.md §2.2).
 */
public final class MediaPermissions {

    private final Permissions permissions;

    public MediaPermissions(String localDomain) {
        this.permissions = new Permissions(localDomain);
    }

    /** The media a request is about: whose upload it was (null for a new upload) and whether it is the avatar. */
    public record Target(Jid uploader, boolean avatar) {
        public static final Target NEW_FILE = new Target(null, false);
        public static final Target AVATAR = new Target(null, true);
    }

    public boolean allows(MediaAction action, AccessModel model, Optional<Jid> caller, Standing standing, Target target) {
        try {
            check(action, model, caller, standing, target);
            return true;
        } catch (DomainException refused) {
            return false;
        }
    }

    /** Throws the refusal (401 for anonymous callers, 403 otherwise) when the action is not allowed. */
    public void check(MediaAction action, AccessModel model, Optional<Jid> caller, Standing standing, Target target) {
        if (action == MediaAction.READ && target.avatar()) {
            return;
        }
        Actor actor = caller.map(Actor::of).orElse(Actor.ANONYMOUS);
        permissions.check(Action.READ, model, standing, actor);
        switch (action) {
            case READ -> {
            }
            case UPLOAD -> permissions.check(Action.PUBLISH, model, standing, actor);
            case MODIFY -> permissions.check(actor.is(target.uploader()) ? Action.RETRACT_OWN : Action.RETRACT_ANY, model, standing, actor);
        }
    }
}
