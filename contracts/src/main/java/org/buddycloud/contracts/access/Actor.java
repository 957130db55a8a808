package org.buddycloud.contracts.access;

import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/** Who asks: an authenticated bare JID, or nobody ({@link #ANONYMOUS}), who may read only what is public. */
public record Actor(Jid jid) {

    public static final Actor ANONYMOUS = new Actor(null);

    public Actor {
        if (jid != null && !jid.isEntityBare()) {
            throw new IllegalArgumentException("an actor is a bare JID: " + jid);
        }
    }

    public static Actor of(Jid jid) {
        return new Actor(jid.toBare());
    }

    public boolean anonymous() {
        return jid == null;
    }

    public Optional<Jid> id() {
        return Optional.ofNullable(jid);
    }

    /** A user of this server's own domain (the {@code local} access model opens nodes to them). */
    public boolean isLocalTo(String domain) {
        return jid != null && jid.domain().equals(domain);
    }

    public boolean is(Jid other) {
        return jid != null && jid.equals(other);
    }
}
