package org.buddycloud.channels.pep;

import java.util.Locale;
import java.util.Optional;

/** Who may read a personal (PEP) node (XEP-0163 §4.1, XEP-0060 access models as PEP uses them). */
public enum PepAccess {
    /** Contacts subscribed to the owner's presence (the PEP default). */
    PRESENCE,
    /** Contacts subscribed to the owner's presence; PEP has no roster groups here, so the same as presence. */
    ROSTER,
    /** Anyone, e.g. OMEMO bundles and public avatars. */
    OPEN,
    /** Only the owner, e.g. XEP-0402 bookmarks. */
    WHITELIST;

    public static Optional<PepAccess> of(String wire) {
        try {
            return Optional.of(valueOf(wire.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code reader} may read: the owner always, then by model; {@code subscribed} = the owner lets the reader see her presence. */
    public boolean allows(boolean owner, boolean subscribed) {
        return owner || this == OPEN || ((this == PRESENCE || this == ROSTER) && subscribed);
    }
}
