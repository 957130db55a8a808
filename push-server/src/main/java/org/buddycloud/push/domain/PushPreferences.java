package org.buddycloud.push.domain;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/**
 * One user's own choices, whatever the target: channels they muted, quiet hours, an e-mail digest instead of one
 * mail per event, and whether a post's text may pass through a push provider (off: the message says only "new post
 * by X in Y"). Which kinds each device or mail address takes is the target's ({@link PushTarget}), as in the
 * original pusher's settings.
 */
public record PushPreferences(Set<Jid> mutedChannels, Optional<QuietHours> quietHours, Digest digest,
                              boolean postTextThroughProviders) {

    /** How e-mail is sent: one mail per event, or what happened gathered into one mail an hour or a day. */
    public enum Digest { OFF, HOURLY, DAILY }

    public PushPreferences {
        mutedChannels = Set.copyOf(mutedChannels);
        quietHours = quietHours == null ? Optional.empty() : quietHours;
        digest = digest == null ? Digest.OFF : digest;
    }

    /** A daily digest goes out at this hour of the user's day (their quiet hours' time zone, else UTC). */
    static final LocalTime DAILY_DIGEST_AT = LocalTime.of(8, 0);

    /** What a user who never changed anything gets. */
    public static PushPreferences defaults() {
        return new PushPreferences(Set.of(), Optional.empty(), Digest.OFF, false);
    }

    /**
     * Whether {@code notice} may reach the user on {@code target} at all (when is {@link DeliveryPlan}'s business): the
     * target takes its kind, and its channel is not muted — mail about the address itself excepted.
     */
    public boolean allows(PushNotice notice, PushTarget target) {
        if (!target.takes(notice.kind())) {
            return false;
        }
        return notice.kind().isAboutTheAddress() || !mutedChannels.contains(notice.channel().toBare());
    }

    /**
     * When the digest that would take something happening at {@code now} is due: the next full hour, or the next
     * {@link #DAILY_DIGEST_AT} of the user's day — and if that falls in their quiet hours, when those end.
     */
    public Instant nextDigest(Instant now) {
        Instant due = switch (digest) {
            case OFF -> now;
            case HOURLY -> now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
            case DAILY -> {
                ZonedDateTime local = now.atZone(zone());
                ZonedDateTime today = local.with(DAILY_DIGEST_AT).truncatedTo(ChronoUnit.MINUTES);
                yield (today.isAfter(local) ? today : today.plusDays(1).with(DAILY_DIGEST_AT)).toInstant();
            }
        };
        return quietHours.flatMap(quiet -> quiet.endOf(due)).orElse(due);
    }

    private ZoneId zone() {
        return quietHours.map(QuietHours::zone).orElse(ZoneOffset.UTC);
    }
}
