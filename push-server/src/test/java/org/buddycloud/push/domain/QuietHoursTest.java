package org.buddycloud.push.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final QuietHours night = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), BERLIN);

    @Test
    void aNightOverMidnightHoldsUntilTheMorningOfTheUsersOwnZone() {
        // 23:30 in Berlin (winter, UTC+1) is quiet until 07:00 the next day
        assertEquals(Optional.of(Instant.parse("2026-12-06T06:00:00Z")), night.endOf(Instant.parse("2026-12-05T22:30:00Z")));
        // 03:00 after midnight: the same night
        assertEquals(Optional.of(Instant.parse("2026-12-06T06:00:00Z")), night.endOf(Instant.parse("2026-12-06T02:00:00Z")));
        assertEquals(Optional.empty(), night.endOf(Instant.parse("2026-12-06T06:00:00Z")), "07:00 is awake");
        assertEquals(Optional.empty(), night.endOf(Instant.parse("2026-12-05T20:59:59Z")), "21:59:59 is awake");
        assertEquals(Optional.of(Instant.parse("2026-12-06T06:00:00Z")), night.endOf(Instant.parse("2026-12-05T21:00:00Z")),
                "22:00 is quiet");
    }

    @Test
    void aStretchWithinOneDay() {
        QuietHours siesta = new QuietHours(LocalTime.of(13, 0), LocalTime.of(15, 0), ZoneId.of("UTC"));
        assertEquals(Optional.of(Instant.parse("2026-12-05T15:00:00Z")), siesta.endOf(Instant.parse("2026-12-05T14:00:00Z")));
        assertEquals(Optional.empty(), siesta.endOf(Instant.parse("2026-12-05T12:59:00Z")));
        assertEquals(Optional.empty(), siesta.endOf(Instant.parse("2026-12-05T15:00:00Z")));
    }

    @Test
    void daylightSavingMovesTheHoursWithTheUsersClock() {
        // on 29 March 2026 Berlin goes from UTC+1 to UTC+2: 07:00 local is 05:00 UTC that morning
        assertEquals(Optional.of(Instant.parse("2026-03-29T05:00:00Z")), night.endOf(Instant.parse("2026-03-29T00:30:00Z")));
        QuietHours toHalfPastTwo = new QuietHours(LocalTime.of(22, 0), LocalTime.of(2, 30), BERLIN);
        // 02:30 does not exist that night; the end moves on by the hour the clocks skip: 03:30 CEST
        assertEquals(Optional.of(Instant.parse("2026-03-29T01:30:00Z")), toHalfPastTwo.endOf(Instant.parse("2026-03-28T23:00:00Z")));
    }

    @Test
    void anEmptyStretchIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new QuietHours(LocalTime.NOON, LocalTime.NOON, BERLIN));
    }
}
