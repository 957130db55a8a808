package org.buddycloud.contracts.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who hears of what, for every access model × the listener's standing × (for membership changes) the
 * subject's new standing, local and remote listeners alike — against the rules written out below.
 */
class AudienceTest {

    private static final String DOMAIN = "example.com";
    private static final Audience AUDIENCE = new Audience(new Permissions(DOMAIN));
    private static final Actor LOCAL = Actor.of(Jid.parse("romeo@example.com"));
    private static final Actor REMOTE = Actor.of(Jid.parse("tybalt@elsewhere.org"));
    private static final Jid SUBJECT = Jid.parse("mercutio@example.com");

    static Stream<Arguments> listeners() {
        List<Arguments> cases = new ArrayList<>();
        for (AccessModel model : AccessModel.values()) {
            for (Affiliation affiliation : Affiliation.values()) {
                for (Subscription subscription : Subscription.values()) {
                    for (Actor actor : List.of(LOCAL, REMOTE)) {
                        cases.add(Arguments.of(model, affiliation, subscription, actor));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{3} as {1}/{2} on {0}")
    @MethodSource("listeners")
    void itemsReachFollowersAndOwnersWhoMayReadThem(AccessModel model, Affiliation affiliation, Subscription subscription, Actor actor) {
        assertEquals(mayRead(model, affiliation, subscription, actor)
                        && (subscription == Subscription.SUBSCRIBED || affiliation == Affiliation.OWNER),
                AUDIENCE.hearsOfItems(model, actor, Standing.of(affiliation, subscription)));
    }

    static Stream<Arguments> membershipChanges() {
        List<Arguments> cases = new ArrayList<>();
        listeners().forEach(listener -> {
            for (Affiliation now : Affiliation.values()) {
                for (Subscription subscribed : Subscription.values()) {
                    Object[] args = listener.get();
                    cases.add(Arguments.of(args[0], args[1], args[2], args[3], now, subscribed));
                }
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "{3} as {1}/{2} on {0}, subject now {4}/{5}")
    @MethodSource("membershipChanges")
    void membershipChangesReachManagersAndFollowersOfFollowers(AccessModel model, Affiliation affiliation, Subscription subscription,
                                                               Actor actor, Affiliation now, Subscription nowSubscription) {
        boolean manages = affiliation == Affiliation.OWNER || affiliation == Affiliation.MODERATOR;
        boolean followerSeesAFollower = subscription == Subscription.SUBSCRIBED && mayRead(model, affiliation, subscription, actor)
                && nowSubscription == Subscription.SUBSCRIBED && now != Affiliation.OUTCAST;
        assertEquals(manages || followerSeesAFollower, AUDIENCE.hearsOfMembership(model, actor, Standing.of(affiliation, subscription),
                SUBJECT, Standing.of(now, nowSubscription)));
    }

    @ParameterizedTest(name = "{3} as {1}/{2} on {0}")
    @MethodSource("listeners")
    void theSubjectAlwaysHearsOfItsOwnMembership(AccessModel model, Affiliation affiliation, Subscription subscription, Actor actor) {
        for (Affiliation now : Affiliation.values()) {
            assertEquals(true, AUDIENCE.hearsOfMembership(model, actor, Standing.of(affiliation, subscription), actor.jid(),
                    Standing.of(now, Subscription.NONE)));
        }
    }

    @ParameterizedTest(name = "{3} as {1}/{2} on {0}")
    @MethodSource("listeners")
    void onlyOwnersAndModeratorsDecideFollowRequests(AccessModel model, Affiliation affiliation, Subscription subscription, Actor actor) {
        assertEquals(affiliation == Affiliation.OWNER || affiliation == Affiliation.MODERATOR,
                AUDIENCE.decidesFollowRequests(Standing.of(affiliation, subscription)));
    }

    @ParameterizedTest(name = "{3} as {1}/{2} on {0}")
    @MethodSource("listeners")
    void theFirehoseCarriesPublicPostsOfAdvertisedNodesToAllButTheBanned(AccessModel model, Affiliation affiliation,
                                                                         Subscription subscription, Actor actor) {
        Standing standing = Standing.of(affiliation, subscription);
        boolean publicPosts = model == AccessModel.OPEN;
        assertEquals(publicPosts && affiliation != Affiliation.OUTCAST, AUDIENCE.hearsThroughFirehose(model, true, standing));
        assertEquals(false, AUDIENCE.hearsThroughFirehose(model, false, standing), "a node kept out of the directory");
    }

    @ParameterizedTest(name = "{3} as {1}/{2} on {0}")
    @MethodSource("listeners")
    void theDirectorySuggestsOnlyAdvertisedNodesAStrangerOfTheViewersKindMayRead(AccessModel model, Affiliation affiliation,
                                                                              Subscription subscription, Actor actor) {
        boolean strangerReads = model == AccessModel.OPEN || model == AccessModel.LOCAL && actor == LOCAL;
        assertEquals(strangerReads, AUDIENCE.countsFollowersOf(model, actor));
        assertEquals(strangerReads, AUDIENCE.findsInDirectory(model, true, actor));
        assertEquals(false, AUDIENCE.findsInDirectory(model, false, actor), "a node kept out of the directory");
        assertEquals(model == AccessModel.OPEN, AUDIENCE.findsInDirectory(model, true, Actor.ANONYMOUS), "nobody finds only open nodes");
    }

    /** The read rule of PROTOCOL.md, restated: who may read a node's items and followers. */
    private static boolean mayRead(AccessModel model, Affiliation affiliation, Subscription subscription, Actor actor) {
        if (affiliation == Affiliation.OUTCAST) {
            return false;
        }
        if (affiliation == Affiliation.OWNER || affiliation == Affiliation.MODERATOR) {
            return true;
        }
        boolean added = affiliation == Affiliation.PUBLISHER || affiliation == Affiliation.MEMBER;
        boolean subscribed = subscription == Subscription.SUBSCRIBED;
        return switch (model) {
            case OPEN -> true;
            case LOCAL -> actor.isLocalTo(DOMAIN) || added && subscribed;
            case AUTHORIZE -> added && subscribed;
            case WHITELIST -> added;
        };
    }
}
