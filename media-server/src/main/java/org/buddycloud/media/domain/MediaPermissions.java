package org.buddycloud.media.domain;

import java.util.Optional;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Who may do what with a channel's media, in one place: reading follows the channel's access model
 * exactly as reading its posts does (the channel server's rules); uploading needs owner, moderator
 * or publisher; changing or deleting needs the uploader or an owner/moderator; avatars are public;
 * outcasts get nothing but avatars.
 */
public final class MediaPermissions {

    private final String localDomain;

    public MediaPermissions(String localDomain) {
        this.localDomain = localDomain;
    }

    /** The media a request is about: whose upload it was (null for a new upload) and whether it is the avatar. */
    public record Target(Jid uploader, boolean avatar) {
        public static final Target NEW_FILE = new Target(null, false);
        public static final Target AVATAR = new Target(null, true);
    }

    public boolean allows(MediaAction action, AccessModel model, Optional<Jid> caller, Member member, Target target) {
        return refusal(action, model, caller, member, target) == null;
    }

    /** Throws the refusal (401 for anonymous callers, 403 otherwise) when the action is not allowed. */
    public void check(MediaAction action, AccessModel model, Optional<Jid> caller, Member member, Target target) {
        DomainException refusal = refusal(action, model, caller, member, target);
        if (refusal != null) {
            throw refusal;
        }
    }

    private DomainException refusal(MediaAction action, AccessModel model, Optional<Jid> caller, Member member, Target target) {
        if (action == MediaAction.READ && target.avatar()) {
            return null;
        }
        if (caller.isEmpty()) {
            return action == MediaAction.READ && effective(model, caller) == AccessModel.OPEN ? null
                    : new DomainException(Condition.NOT_AUTHORIZED, "log in to " + describe(action));
        }
        if (member.affiliation() == Affiliation.OUTCAST) {
            return new DomainException(Condition.FORBIDDEN, "you are banned from this channel");
        }
        boolean privileged = member.atLeast(Affiliation.MODERATOR);
        if (!privileged && !readable(effective(model, caller), member)) {
            return new DomainException(Condition.FORBIDDEN, "this channel is private");
        }
        return switch (action) {
            case READ -> null;
            case UPLOAD -> member.atLeast(Affiliation.PUBLISHER) ? null
                    : new DomainException(Condition.FORBIDDEN, "your affiliation (" + member.affiliation().wireName()
                    + ") does not allow you to " + describe(action));
            case MODIFY -> privileged || caller.get().toBare().equals(target.uploader()) ? null
                    : new DomainException(Condition.FORBIDDEN, "only the uploader, an owner or a moderator may " + describe(action));
        };
    }

    private static boolean readable(AccessModel model, Member member) {
        boolean added = member.atLeast(Affiliation.MEMBER);
        return switch (model) {
            case OPEN -> true;
            case WHITELIST -> added;
            case AUTHORIZE, LOCAL -> added && member.subscribed();
        };
    }

    /** {@code local} is {@code open} for this server's users and {@code authorize} for everybody else. */
    private AccessModel effective(AccessModel model, Optional<Jid> caller) {
        if (model == AccessModel.LOCAL) {
            return caller.map(jid -> jid.domain().equals(localDomain)).orElse(false) ? AccessModel.OPEN : AccessModel.AUTHORIZE;
        }
        return model;
    }

    private static String describe(MediaAction action) {
        return switch (action) {
            case READ -> "read this channel's media";
            case UPLOAD -> "upload media to this channel";
            case MODIFY -> "change or delete this file";
        };
    }
}
