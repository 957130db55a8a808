package org.buddycloud.push.domain;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/**
 * One user's choices about what reaches them: each kind on or off (the original pusher's switches, same defaults),
 * channels they muted, quiet hours, an e-mail digest instead of one mail per event, and whether a post's text may
 * pass through a push provider (off: the message says only "new post by X in Y").
 */
public record PushPreferences(Map<PushKind.Setting, Boolean> switches, Set<Jid> mutedChannels, Optional<QuietHours> quietHours,
                              Digest digest, boolean postTextThroughProviders) {

    /** How e-mail is sent: one mail per event, or what happened gathered into one mail an hour or a day. */
    public enum Digest { OFF, HOURLY, DAILY }

    public PushPreferences {
        Map<PushKind.Setting, Boolean> all = new EnumMap<>(PushKind.Setting.class);
        for (PushKind.Setting setting : PushKind.Setting.values()) {
            all.put(setting, switches.getOrDefault(setting, setting.onByDefault()));
        }
        switches = Map.copyOf(all);
        mutedChannels = Set.copyOf(mutedChannels);
        quietHours = quietHours == null ? Optional.empty() : quietHours;
        digest = digest == null ? Digest.OFF : digest;
    }

    /** A daily digest goes out at this hour of the user's day (their quiet hours' time zone, else UTC). */
    static final LocalTime DAILY_DIGEST_AT = LocalTime.of(8, 0);

    /** What a user who never changed anything gets. */
    public static PushPreferences defaults() {
        return new PushPreferences(Map.of(), Set.of(), Optional.empty(), Digest.OFF, false);
    }

    /** Whether the user wants to hear of {@code notice} at all (when and how is {@link DeliveryPlan}'s business). */
    public boolean wants(PushNotice notice) {
        if (notice.kind() == PushKind.WELCOME) {
            return true;
        }
        if (mutedChannels.contains(notice.channel().toBare())) {
            return false;
        }
        return notice.kind().setting().map(switches::get).orElse(true);
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
