package org.buddycloud.channels.xmpp.server;

import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/**
 * A user's XEP-0313 archiving preferences: whom to archive messages with by default, and the bare
 * JIDs always or never archived whatever the default. Never wins over always: a user who listed a
 * contact in both asked for that contact's messages not to be kept at least once.
 */
public record ArchivePrefs(Mode defaultMode, Set<Jid> always, Set<Jid> never) {

    /** The XEP-0313 {@code default} attribute. */
    public enum Mode {
        ALWAYS, NEVER, ROSTER;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The mode of a {@code default} attribute; empty for anything else. */
        public static java.util.Optional<Mode> parse(String text) {
            for (Mode mode : values()) {
                if (mode.wireName().equals(text)) {
                    return java.util.Optional.of(mode);
                }
            }
            return java.util.Optional.empty();
        }
    }

    public ArchivePrefs {
        always = Set.copyOf(always);
        never = Set.copyOf(never);
    }

    public static ArchivePrefs byDefault(Mode mode) {
        return new ArchivePrefs(mode, Set.of(), Set.of());
    }

    /**
     * Whether a message with {@code with} (a bare JID) goes into the archive. {@code inRoster}: the contact is in the
     * user's roster, which is what {@code roster} archives.
     */
    public boolean archives(Jid with, boolean inRoster) {
        Jid bare = with.toBare();
        if (never.contains(bare)) {
            return false;
        }
        if (always.contains(bare)) {
            return true;
        }
        return switch (defaultMode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case ROSTER -> inRoster;
        };
    }
}
