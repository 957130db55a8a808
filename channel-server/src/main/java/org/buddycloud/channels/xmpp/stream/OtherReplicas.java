package org.buddycloud.channels.xmpp.stream;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/**
 * The sessions that other replicas of the domain hold, as {@link SessionRegistry} sees them: it claims each address it
 * binds here, so that one full JID is bound on one replica only, and adds the other replicas' sessions to its answers.
 */
public interface OtherReplicas {

    /** A single process: nobody else holds sessions. */
    OtherReplicas NONE = new OtherReplicas() {
        @Override
        public boolean claim(Jid full, boolean encrypted) {
            return true;
        }

        @Override
        public void release(Jid full) {
        }

        @Override
        public List<RemoteSession> sessionsOf(Jid user) {
            return List.of();
        }

        @Override
        public Map<Jid, List<RemoteSession>> sessionsOf(Collection<Jid> users) {
            return Map.of();
        }

        @Override
        public Optional<RemoteSession> session(Jid full) {
            return Optional.empty();
        }
    };

    /** Records that this replica binds {@code full}; false when another replica holds that address. */
    boolean claim(Jid full, boolean encrypted);

    /** The session bound here ended. */
    void release(Jid full);

    /** The user's sessions on other replicas. */
    List<RemoteSession> sessionsOf(Jid user);

    /** The sessions on other replicas of each of those users (bare JIDs) who has any, asked at once. */
    Map<Jid, List<RemoteSession>> sessionsOf(Collection<Jid> users);

    /** The session of that full JID if another replica holds it. */
    Optional<RemoteSession> session(Jid full);
}
