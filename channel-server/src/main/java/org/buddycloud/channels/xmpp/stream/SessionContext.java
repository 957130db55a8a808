package org.buddycloud.channels.xmpp.stream;

import java.time.Clock;
import java.util.concurrent.Executor;
import org.buddycloud.channels.xmpp.XmppConfig;

/** What every client session uses, shared. */
record SessionContext(String domain, XmppConfig config, SessionRegistry registry, XmppAccounts accounts, StanzaRouter router,
                      RegistrationHandler registration, Executor pool, ResumableSessions resumable, SessionTimers timers,
                      UnacknowledgedStanzas unacknowledged, Clock clock) {
}
