package org.buddycloud.gateway.live;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a stream stands: for each partition of the event topics ({@code p0} is partition 0 of the posts topic,
 * {@code m} memberships, {@code c} channels), the offset of the next record. Kafka's offsets are the same for
 * every replica of the gateway, so a position taken from one resumes exactly on another. Written as the SSE
 * event id: {@code c0-12_m0-40_p0-1033_p1-998}.
 */
public final class Position {

    public static final Position START = new Position(Map.of());

    private static final Pattern PARTITION = Pattern.compile("[a-z][0-9]{1,5}");
    private static final Pattern ENCODED = Pattern.compile("([a-z][0-9]{1,5}-[0-9]{1,19})(_[a-z][0-9]{1,5}-[0-9]{1,19}){0,999}");

    private final Map<String, Long> next;
    private String encoded;

    private Position(Map<String, Long> next) {
        this.next = next;
    }

    /** A position a client sent back; refused with {@link IllegalArgumentException} when it is not one of ours. */
    public static Position parse(String text) {
        if (text == null || text.length() > 4096 || !ENCODED.matcher(text).matches()) {
            throw new IllegalArgumentException("not a position of the live stream: " + abbreviated(text));
        }
        Map<String, Long> next = new TreeMap<>();
        for (String part : text.split("_")) {
            int dash = part.indexOf('-');
            try {
                next.put(part.substring(0, dash), Long.parseLong(part.substring(dash + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a position of the live stream: " + abbreviated(text));
            }
        }
        return new Position(Collections.unmodifiableMap(next));
    }

    public static boolean isPartition(String key) {
        return PARTITION.matcher(key).matches();
    }

    /** The next offset of {@code partition}; 0 for one this position never saw. */
    public long next(String partition) {
        return next.getOrDefault(partition, 0L);
    }

    public Map<String, Long> partitions() {
        return next;
    }

    /** This position with {@code partition} moved on to {@code nextOffset}. */
    public Position with(String partition, long nextOffset) {
        Map<String, Long> moved = new TreeMap<>(next);
        moved.put(partition, nextOffset);
        return new Position(Collections.unmodifiableMap(moved));
    }

    /** The later of the two for each partition. */
    public Position max(Position other) {
        if (covers(other)) {
            return this;
        }
        if (other.covers(this)) {
            return other;
        }
        Map<String, Long> merged = new TreeMap<>(next);
        other.next.forEach((partition, offset) -> merged.merge(partition, offset, Math::max));
        return new Position(Collections.unmodifiableMap(merged));
    }

    /** True when this position is at or past {@code other} in every partition. */
    public boolean covers(Position other) {
        for (Map.Entry<String, Long> entry : other.next.entrySet()) {
            if (next(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    public String encode() {
        String result = encoded;
        if (result == null) {
            StringBuilder text = new StringBuilder();
            next.forEach((partition, offset) -> text.append(text.isEmpty() ? "" : "_").append(partition).append('-').append(offset));
            encoded = result = text.toString();
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Position other && next.equals(other.next);
    }

    @Override
    public int hashCode() {
        return next.hashCode();
    }

    @Override
    public String toString() {
        return encode();
    }

    private static String abbreviated(String text) {
        return text == null ? "null" : text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
