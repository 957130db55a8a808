package org.buddycloud.media.domain;

import java.util.Locale;
import java.util.regex.Pattern;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** The checks on what a client says about a file: its name, type, title and description. */
public final class MediaFields {

    private static final Pattern CONTENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
    private static final int MAX_TEXT = 1024;

    private MediaFields() {
    }

    /** The last path segment of what the client called the file, without control characters. */
    public static String fileName(String given) {
        String name = given == null ? "" : given.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).strip();
        if (name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..") || name.chars().anyMatch(Character::isISOControl)) {
            throw new DomainException(Condition.BAD_REQUEST, "filename: 1 to 255 characters, no control characters");
        }
        return name;
    }

    /** The MIME type without parameters; application/octet-stream when none is given. */
    public static String contentType(String given) {
        if (given == null || given.isBlank()) {
            return "application/octet-stream";
        }
        String type = given.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPE.matcher(type).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "content-type: a MIME type such as image/png");
        }
        return type;
    }

    /** A title or description: null when blank. */
    public static String text(String value, String field) {
        if (value != null && (value.length() > MAX_TEXT || value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t'))) {
            throw new DomainException(Condition.BAD_REQUEST, field + ": at most " + MAX_TEXT + " characters of text");
        }
        return value == null || value.isBlank() ? null : value;
    }
}
