package org.buddycloud.channels.xmpp.stream;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of this replica that a client may resume (XEP-0198), by their unguessable id. Sessions live in this
 * process's memory only: a resumption that reaches another replica finds nothing here and fails with item-not-found,
 * and the client binds a new session (its unacknowledged messages reach it from the old replica through offline
 * storage once the old session's resumption time is over).
 */
final class ResumableSessions {

    private final Map<String, C2sSession> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A new id for the session, under which it can be found until {@link #forget}. */
    String register(C2sSession session) {
        byte[] bytes = new byte[18];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (byId.putIfAbsent(id, session) != null);
        return id;
    }

    Optional<C2sSession> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /** The session was resumed on a new connection: the id now names that one. */
    void moved(String id, C2sSession from, C2sSession to) {
        byId.replace(id, from, to);
    }

    void forget(String id, C2sSession session) {
        if (id != null) {
            byId.remove(id, session);
        }
    }
}
