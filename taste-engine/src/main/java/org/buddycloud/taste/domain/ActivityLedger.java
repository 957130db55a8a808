package org.buddycloud.taste.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.contracts.jid.Jid;

/**
 * Posts per channel per day (UTC) over the last {@value #DAYS} days: what "most active" ranks by. A day slot is
 * reused when its day has passed, so a channel costs the same however long it lives.
 */
public final class ActivityLedger {

    /** The longest period asked about. */
    public static final int DAYS = 30;

    private final Map<Jid, DailyCounts> channels = new ConcurrentHashMap<>();

    /** One post published at {@code when} (a post dated ahead of {@code now} counts for today). */
    public void posted(Jid channel, Instant when, Instant now) {
        long day = day(when.isAfter(now) ? now : when);
        if (day > day(now) - DAYS) {
            channels.computeIfAbsent(channel, c -> new DailyCounts()).add(day);
        }
    }

    /** Posts of the last {@code days} days, today included. */
    public long posts(Jid channel, int days, Instant now) {
        DailyCounts counts = channels.get(channel);
        return counts == null ? 0 : counts.since(day(now) - days + 1, day(now));
    }

    public void forget(Jid channel) {
        channels.remove(channel);
    }

    private static long day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toEpochDay();
    }

    /** A ring of day slots, each remembering which day it counts. */
    private static final class DailyCounts {
        private final long[] days = new long[DAYS + 1];
        private final int[] posts = new int[DAYS + 1];

        synchronized void add(long day) {
            int slot = (int) Math.floorMod(day, (long) days.length);
            if (days[slot] != day) {
                days[slot] = day;
                posts[slot] = 0;
            }
            posts[slot]++;
        }

        synchronized long since(long first, long last) {
            long sum = 0;
            for (int slot = 0; slot < days.length; slot++) {
                if (days[slot] >= first && days[slot] <= last) {
                    sum += posts[slot];
                }
            }
            return sum;
        }
    }
}
