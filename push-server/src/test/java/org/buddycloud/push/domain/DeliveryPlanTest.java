package org.buddycloud.push.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.Test;

/** What a user wants to hear of, and when it goes out. */
class DeliveryPlanTest {

    private static final Jid ROMEO = Jid.parse("romeo@example.com");
    private static final Jid JULIET = Jid.parse("juliet@example.com");
    private static final Jid TYBALT = Jid.parse("tybalt@example.com");
    private static final QuietHours NIGHT = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), ZoneId.of("Europe/Berlin"));
    private static final Instant MIDNIGHT_IN_BERLIN = Instant.parse("2026-12-05T23:00:00Z");
    private static final Instant NOON_IN_BERLIN = Instant.parse("2026-12-05T11:00:00Z");

    @Test
    void eachTargetHasTheOriginalPushersSwitchesEverythingButPostsOnFollowedChannelsByDefault() {
        PushTarget phone = PushTarget.withDefaults(PushTarget.Type.FCM, "fcm-token-1");
        PushTarget mail = PushTarget.withDefaults(PushTarget.Type.EMAIL, "romeo@montague.example");
        PushPreferences defaults = PushPreferences.defaults();
        for (PushKind kind : PushKind.values()) {
            assertEquals(kind != PushKind.POST_ON_FOLLOWED_CHANNEL && !kind.isAboutTheAddress(), defaults.allows(notice(kind, JULIET), phone),
                    kind.name());
            assertEquals(kind != PushKind.POST_ON_FOLLOWED_CHANNEL, defaults.allows(notice(kind, JULIET), mail), kind.name());
        }
        assertFalse(defaults.postTextThroughProviders(), "only 'new post by X in Y' goes through a push provider");
    }

    @Test
    void switchesBelongToTheTargetAndAMutedChannelIsSilentOnAllOfThem() {
        PushTarget phone = new PushTarget(PushTarget.Type.WEB_PUSH, "https://push.example/1", Map.of(PushKind.Setting.POST_MENTIONED_ME, false));
        PushTarget mail = PushTarget.withDefaults(PushTarget.Type.EMAIL, "romeo@montague.example");
        PushPreferences muted = new PushPreferences(Set.of(TYBALT), Optional.empty(), PushPreferences.Digest.OFF, false);
        assertFalse(muted.allows(notice(PushKind.MENTION, JULIET), phone), "mentions turned off on the phone");
        assertTrue(muted.allows(notice(PushKind.MENTION, JULIET), mail), "but not by mail");
        assertFalse(muted.allows(notice(PushKind.POST_ON_MY_CHANNEL, TYBALT), mail));
        assertTrue(muted.allows(notice(PushKind.POST_ON_MY_CHANNEL, JULIET), phone));
        assertTrue(muted.allows(notice(PushKind.WELCOME, TYBALT), mail), "the welcome mail is always sent");
    }

    @Test
    void quietHoursHoldDevicePushesUntilMorning() {
        PushPreferences quiet = new PushPreferences(Set.of(), Optional.of(NIGHT), PushPreferences.Digest.OFF, false);
        assertEquals(new DeliveryPlan(DeliveryPlan.When.HELD, Instant.parse("2026-12-06T06:00:00Z")),
                DeliveryPlan.forDevice(quiet, notice(PushKind.MENTION, JULIET), MIDNIGHT_IN_BERLIN));
        assertEquals(new DeliveryPlan(DeliveryPlan.When.NOW, NOON_IN_BERLIN),
                DeliveryPlan.forDevice(quiet, notice(PushKind.MENTION, JULIET), NOON_IN_BERLIN));
        assertEquals(new DeliveryPlan(DeliveryPlan.When.NOW, MIDNIGHT_IN_BERLIN),
                DeliveryPlan.forMail(quiet, notice(PushKind.WELCOME, ROMEO), MIDNIGHT_IN_BERLIN), "the user has just registered");
    }

    @Test
    void aDigestGathersMailForTheNextHourOrTheNextMorningAfterTheQuietHours() {
        PushPreferences hourly = new PushPreferences(Set.of(), Optional.empty(), PushPreferences.Digest.HOURLY, false);
        assertEquals(new DeliveryPlan(DeliveryPlan.When.DIGEST, Instant.parse("2026-12-05T12:00:00Z")),
                DeliveryPlan.forMail(hourly, notice(PushKind.FOLLOW, JULIET), Instant.parse("2026-12-05T11:20:00Z")));
        assertEquals(new DeliveryPlan(DeliveryPlan.When.NOW, Instant.parse("2026-12-05T11:20:00Z")),
                DeliveryPlan.forDevice(hourly, notice(PushKind.FOLLOW, JULIET), Instant.parse("2026-12-05T11:20:00Z")),
                "devices are not digested");

        PushPreferences daily = new PushPreferences(Set.of(), Optional.of(NIGHT), PushPreferences.Digest.DAILY, false);
        // 08:00 Berlin the next morning is 07:00 UTC; the night ends at 07:00 Berlin, before that
        assertEquals(new DeliveryPlan(DeliveryPlan.When.DIGEST, Instant.parse("2026-12-06T07:00:00Z")),
                DeliveryPlan.forMail(daily, notice(PushKind.FOLLOW, JULIET), NOON_IN_BERLIN));
        PushPreferences lateRiser = new PushPreferences(Set.of(), Optional.of(new QuietHours(LocalTime.of(23, 0),
                LocalTime.of(9, 30), ZoneId.of("Europe/Berlin"))), PushPreferences.Digest.DAILY, false);
        assertEquals(Instant.parse("2026-12-06T08:30:00Z"), lateRiser.nextDigest(NOON_IN_BERLIN), "08:00 is quiet: sent at 09:30");
    }

    private static PushNotice notice(PushKind kind, Jid channel) {
        return new PushNotice(ROMEO, kind, channel, JULIET, null);
    }
}
