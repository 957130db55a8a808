package org.buddycloud.push.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A daily stretch of the user's own local time in which nothing is pushed; what happens then is held and sent
 * when it ends. It may run over midnight (22:00–07:00). Times are of the user's time zone, so daylight saving
 * moves them with the user's clock; an end that a clock change skips moves on by the change (02:30 on the night the
 * clocks go from 02:00 to 03:00 is 03:30).
 */
public record QuietHours(LocalTime from, LocalTime until, ZoneId zone) {

    public QuietHours {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(zone, "zone");
        if (from.equals(until)) {
            throw new IllegalArgumentException("quiet hours must not start and end at the same time");
        }
    }

    /** When the quiet stretch that {@code now} falls in ends; empty when {@code now} is not quiet. */
    public Optional<Instant> endOf(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        LocalDate today = local.toLocalDate();
        boolean overMidnight = from.isAfter(until);
        if (!overMidnight) {
            return !time.isBefore(from) && time.isBefore(until) ? Optional.of(at(today, until)) : Optional.empty();
        }
        if (!time.isBefore(from)) {
            return Optional.of(at(today.plusDays(1), until));
        }
        return time.isBefore(until) ? Optional.of(at(today, until)) : Optional.empty();
    }

    private Instant at(LocalDate date, LocalTime time) {
        return ZonedDateTime.of(date, time, zone).toInstant();
    }
}
