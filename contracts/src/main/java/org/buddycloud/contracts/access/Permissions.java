package org.buddycloud.contracts.access;

import static org.buddycloud.contracts.access.Action.ADMINISTER;
import static org.buddycloud.contracts.access.Action.CONFIGURE;
import static org.buddycloud.contracts.access.Action.INVITE;
import static org.buddycloud.contracts.access.Action.MANAGE_AFFILIATIONS;
import static org.buddycloud.contracts.access.Action.MANAGE_SUBSCRIPTIONS;
import static org.buddycloud.contracts.access.Action.PUBLISH;
import static org.buddycloud.contracts.access.Action.READ;
import static org.buddycloud.contracts.access.Action.RETRACT_ANY;
import static org.buddycloud.contracts.access.Action.RETRACT_OWN;
import static org.buddycloud.contracts.access.Action.SUBSCRIBE;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Who may do what on a node: the capability table of PROTOCOL.md §1.4–1.5 and the access models
 * of decision 2, in one place. Every path (REST, XMPP, queries across channels) and every service
 * (media, search, push, the gateway's live stream) asks here, with the standing it knows of the JID.
 *
 * <p>An affiliation grants actions ({@link #CAPABILITIES}); what an affiliation without special
 * standing may read then depends on the access model: {@code open} anyone, {@code local} anyone of
 * this server's domain (others as {@code authorize}), {@code authorize} approved followers,
 * {@code whitelist} JIDs an owner or moderator added. Outcasts may do nothing; anonymous callers
 * may only read open nodes.
 */
public final class Permissions {

    static final Map<Affiliation, Set<Action>> CAPABILITIES = new EnumMap<>(Affiliation.class);

    static {
        CAPABILITIES.put(Affiliation.OWNER, EnumSet.allOf(Action.class));
        CAPABILITIES.put(Affiliation.MODERATOR, EnumSet.of(READ, PUBLISH, RETRACT_OWN, RETRACT_ANY, SUBSCRIBE, INVITE,
                CONFIGURE, MANAGE_SUBSCRIPTIONS, MANAGE_AFFILIATIONS));
        CAPABILITIES.put(Affiliation.PUBLISHER, EnumSet.of(READ, PUBLISH, RETRACT_OWN, SUBSCRIBE, INVITE));
        CAPABILITIES.put(Affiliation.MEMBER, EnumSet.of(READ, RETRACT_OWN, SUBSCRIBE, INVITE));
        CAPABILITIES.put(Affiliation.NONE, EnumSet.of(READ, RETRACT_OWN, SUBSCRIBE));
        CAPABILITIES.put(Affiliation.OUTCAST, EnumSet.noneOf(Action.class));
    }

    private final String localDomain;

    public Permissions(String localDomain) {
        this.localDomain = localDomain;
    }

    public boolean allows(Action action, AccessModel model, Standing standing, Actor actor) {
        return refusal(action, model, standing, actor) == null;
    }

    /** Throws the refusal the protocol prescribes when the action is not allowed. */
    public void check(Action action, AccessModel model, Standing standing, Actor actor) {
        DomainException refusal = refusal(action, model, standing, actor);
        if (refusal != null) {
            throw refusal;
        }
    }

    /**
     * The rank rule behind {@code MANAGE_SUBSCRIPTIONS} and {@code MANAGE_AFFILIATIONS}: moderators manage
     * members, publishers and outcasts; owners and moderators — who they are and who becomes one — only an
     * owner manages.
     *
     * @param becomes the affiliation the subject is given, or null when only their subscription changes
     */
    public void checkManages(Standing manager, Standing subject, Affiliation becomes) {
        if (manager.affiliation() == Affiliation.OWNER) {
            return;
        }
        if (subject.privileged()) {
            throw new DomainException(Condition.FORBIDDEN, "only an owner manages an owner or moderator");
        }
        if (becomes != null && Standing.of(becomes, null).privileged()) {
            throw new DomainException(Condition.FORBIDDEN, "only an owner can make somebody " + becomes.wireName());
        }
    }

    private DomainException refusal(Action action, AccessModel model, Standing standing, Actor actor) {
        if (actor.anonymous()) {
            return action == READ && effective(model, actor) == AccessModel.OPEN ? null
                    : new DomainException(Condition.NOT_AUTHORIZED, "log in to " + describe(action));
        }
        Affiliation affiliation = standing.affiliation();
        if (!CAPABILITIES.get(affiliation).contains(action)) {
            return affiliation == Affiliation.OUTCAST
                    ? new DomainException(Condition.FORBIDDEN, "you are banned from this channel")
                    : new DomainException(Condition.FORBIDDEN, "your affiliation (" + affiliation.wireName()
                    + ") does not allow you to " + describe(action));
        }
        if (standing.privileged()) {
            return null;
        }
        return switch (action) {
            case READ -> readRefusal(effective(model, actor), standing);
            case PUBLISH, INVITE -> standing.subscribed() ? null : new DomainException(Condition.FORBIDDEN,
                    AppCondition.NOT_SUBSCRIBED, "follow the channel to " + describe(action));
            default -> null;
        };
    }

    private static DomainException readRefusal(AccessModel model, Standing standing) {
        boolean added = standing.atLeast(Affiliation.MEMBER);
        boolean readable = switch (model) {
            case OPEN -> true;
            case WHITELIST -> added;
            case AUTHORIZE, LOCAL -> added && standing.subscribed();
        };
        if (readable) {
            return null;
        }
        if (standing.subscription() == Subscription.PENDING) {
            return new DomainException(Condition.NOT_AUTHORIZED, AppCondition.PENDING_SUBSCRIPTION,
                    "your request to follow this channel is waiting for approval");
        }
        return new DomainException(Condition.FORBIDDEN, AppCondition.CLOSED_NODE, "this channel is private");
    }

    /** {@code local} is {@code open} for this server's users and {@code authorize} for everybody else. */
    public AccessModel effective(AccessModel model, Actor actor) {
        if (model == AccessModel.LOCAL) {
            return actor.isLocalTo(localDomain) ? AccessModel.OPEN : AccessModel.AUTHORIZE;
        }
        return model;
    }

    private static String describe(Action action) {
        return switch (action) {
            case READ -> "read this channel";
            case PUBLISH -> "post here";
            case RETRACT_OWN -> "delete your posts here";
            case RETRACT_ANY -> "delete other people's posts";
            case SUBSCRIBE -> "follow this channel";
            case INVITE -> "invite people to this channel";
            case CONFIGURE -> "change the channel's configuration";
            case MANAGE_SUBSCRIPTIONS -> "manage followers";
            case MANAGE_AFFILIATIONS -> "change affiliations";
            case ADMINISTER -> "administer this channel";
        };
    }
}
