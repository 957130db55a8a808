package org.buddycloud.contracts;

import java.util.Locale;
import java.util.Optional;

/**
 * Enum constants travel as lower-case, hyphenated names ({@code OPEN} is {@code "open"},
 * {@code PASSWORD_RESET} is {@code "password-reset"}).
 */
public final class WireNames {

    private WireNames() {
    }

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static <E extends Enum<E>> Optional<E> find(Class<E> type, String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wanted)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        return find(type, value).orElseThrow(() -> new IllegalArgumentException(
                "unknown " + type.getSimpleName() + ": " + value));
    }
}
