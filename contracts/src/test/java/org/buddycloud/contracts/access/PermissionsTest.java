package org.buddycloud.contracts.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole capability table: every access model × affiliation × subscription × action, for a
 * local user, a remote user and an anonymous caller, against the rules of PROTOCOL.md §1.4–1.5
 * and decision 2 written out independently below.
 */
class PermissionsTest {

    private static final String DOMAIN = "example.com";
    private static final Permissions PERMISSIONS = new Permissions(DOMAIN);
    private static final Actor LOCAL = Actor.of(Jid.parse("romeo@example.com"));
    private static final Actor REMOTE = Actor.of(Jid.parse("tybalt@elsewhere.org"));

    static Stream<Arguments> everyCase() {
        List<Arguments> cases = new ArrayList<>();
        for (AccessModel model : AccessModel.values()) {
            for (Affiliation affiliation : Affiliation.values()) {
                for (Subscription subscription : Subscription.values()) {
                    for (Action action : Action.values()) {
                        for (Actor actor : List.of(LOCAL, REMOTE)) {
                            cases.add(Arguments.of(model, affiliation, subscription, action, actor));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{4} as {1}/{2} on {0}: {3}")
    @MethodSource("everyCase")
    void decidesEveryCaseAsTheProtocolSays(AccessModel model, Affiliation affiliation, Subscription subscription,
                                           Action action, Actor actor) {
        Standing membership = Standing.of(affiliation, subscription);
        assertEquals(expected(model, affiliation, subscription, action, actor.isLocalTo(DOMAIN)),
                PERMISSIONS.allows(action, model, membership, actor));
    }

    @ParameterizedTest(name = "anonymous on {0}: {1}")
    @MethodSource("anonymousCases")
    void anonymousCallersOnlyReadOpenNodes(AccessModel model, Action action) {
        boolean allowed = PERMISSIONS.allows(action, model, Standing.STRANGER, Actor.ANONYMOUS);
        assertEquals(action == Action.READ && model == AccessModel.OPEN, allowed);
        if (!allowed) {
            DomainException refusal = assertThrows(DomainException.class,
                    () -> PERMISSIONS.check(action, model, Standing.STRANGER, Actor.ANONYMOUS));
            assertEquals(Condition.NOT_AUTHORIZED, refusal.condition());
        }
    }

    static Stream<Arguments> anonymousCases() {
        return Stream.of(AccessModel.values()).flatMap(m -> Stream.of(Action.values()).map(a -> Arguments.of(m, a)));
    }

    @ParameterizedTest
    @CsvSource({
            "AUTHORIZE, NONE, PENDING, NOT_AUTHORIZED, PENDING_SUBSCRIPTION",
            "AUTHORIZE, NONE, NONE, FORBIDDEN, CLOSED_NODE",
            "AUTHORIZE, NONE, INVITED, FORBIDDEN, CLOSED_NODE",
            "WHITELIST, NONE, NONE, FORBIDDEN, CLOSED_NODE",
            "AUTHORIZE, MEMBER, NONE, FORBIDDEN, CLOSED_NODE",
    })
    void privateReadsAreRefusedWithTheProtocolsConditions(AccessModel model, Affiliation affiliation, Subscription subscription,
                                                          Condition condition, AppCondition reason) {
        DomainException refusal = assertThrows(DomainException.class, () -> PERMISSIONS.check(Action.READ, model,
                Standing.of(affiliation, subscription), LOCAL));
        assertEquals(condition, refusal.condition());
        assertEquals(Optional.of(reason), refusal.appCondition());
    }

    @Test
    void outcastsAreTurnedAwayEverywhere() {
        for (AccessModel model : AccessModel.values()) {
            DomainException refusal = assertThrows(DomainException.class, () -> PERMISSIONS.check(Action.READ, model,
                    Standing.of(Affiliation.OUTCAST, Subscription.NONE), LOCAL));
            assertEquals(Condition.FORBIDDEN, refusal.condition());
        }
    }

    @Test
    void aMemberWhoDoesNotFollowCannotPost() {
        DomainException refusal = assertThrows(DomainException.class, () -> PERMISSIONS.check(Action.PUBLISH, AccessModel.OPEN,
                Standing.of(Affiliation.PUBLISHER, Subscription.NONE), LOCAL));
        assertEquals(Optional.of(AppCondition.NOT_SUBSCRIBED), refusal.appCondition());
    }

    /** The rules, restated from PROTOCOL.md rather than computed the way {@link Permissions} does. */
    private static boolean expected(AccessModel model, Affiliation affiliation, Subscription subscription, Action action, boolean local) {
        boolean subscribed = subscription == Subscription.SUBSCRIBED;
        Set<Action> all = EnumSet.allOf(Action.class);
        Set<Action> granted = switch (affiliation) {
            case OWNER -> all;
            case MODERATOR -> EnumSet.complementOf(EnumSet.of(Action.ADMINISTER));
            case PUBLISHER -> EnumSet.of(Action.READ, Action.PUBLISH, Action.RETRACT_OWN, Action.SUBSCRIBE, Action.INVITE);
            case MEMBER -> EnumSet.of(Action.READ, Action.RETRACT_OWN, Action.SUBSCRIBE, Action.INVITE);
            case NONE -> EnumSet.of(Action.READ, Action.RETRACT_OWN, Action.SUBSCRIBE);
            case OUTCAST -> EnumSet.noneOf(Action.class);
        };
        if (!granted.contains(action)) {
            return false;
        }
        if (affiliation == Affiliation.OWNER || affiliation == Affiliation.MODERATOR) {
            return true;
        }
        boolean added = affiliation == Affiliation.PUBLISHER || affiliation == Affiliation.MEMBER;
        return switch (action) {
            case READ -> switch (model) {
                case OPEN -> true;
                case LOCAL -> local || added && subscribed;
                case AUTHORIZE -> added && subscribed;
                case WHITELIST -> added;
            };
            case PUBLISH, INVITE -> subscribed;
            default -> true;
        };
    }

    @ParameterizedTest(name = "{0} gives {1} the affiliation {2}: {3}")
    @CsvSource({
            "OWNER, OWNER, MEMBER, true", "OWNER, MODERATOR, OWNER, true", "OWNER, MEMBER, MODERATOR, true",
            "MODERATOR, MEMBER, PUBLISHER, true", "MODERATOR, PUBLISHER, OUTCAST, true", "MODERATOR, OUTCAST, NONE, true",
            "MODERATOR, MEMBER, MODERATOR, false", "MODERATOR, MEMBER, OWNER, false",
            "MODERATOR, MODERATOR, MEMBER, false", "MODERATOR, OWNER, OUTCAST, false"})
    void onlyOwnersManageOwnersAndModerators(Affiliation manager, Affiliation subject, Affiliation becomes, boolean allowed) {
        Standing managing = Standing.of(manager, Subscription.SUBSCRIBED);
        Standing managed = Standing.of(subject, Subscription.SUBSCRIBED);
        if (allowed) {
            PERMISSIONS.checkManages(managing, managed, becomes);
            PERMISSIONS.checkManages(managing, managed, null);
        } else {
            assertEquals(Condition.FORBIDDEN, assertThrows(DomainException.class,
                    () -> PERMISSIONS.checkManages(managing, managed, becomes)).condition());
        }
    }
}
