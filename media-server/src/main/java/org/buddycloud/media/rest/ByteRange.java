package org.buddycloud.media.rest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One byte range of an HTTP Range header (RFC 9110 §14.1.2); several ranges are answered with the whole file. */
record ByteRange(long first, long length) {

    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** Null for "send it all" (no header, several ranges, or syntax this server ignores). */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                long length = Math.min(suffix, size);
                return new ByteRange(size - length, length);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || last < first) {
                return UNSATISFIABLE;
            }
            return new ByteRange(first, last - first + 1);
        } catch (NumberFormatException tooLong) {
            return UNSATISFIABLE;
        }
    }
}
