package org.buddycloud.channels.xmpp.server;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.servicekit.events.BroadcastConsumer;
import org.buddycloud.servicekit.events.TopicNames;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A deleted account's XMPP sessions end, on whichever replica holds them: the deletion (REST, XEP-0077
 * {@code <remove/>}) is learnt from {@code buddycloud.accounts} like every other change, and a session
 * of an account that no longer exists would otherwise go on sending and receiving.
 */
@ApplicationScoped
public class DeletedAccounts {

    private final SessionRegistry sessions;
    private final BroadcastConsumer consumer;
    private final boolean enabled;

    DeletedAccounts(SessionRegistry sessions, XmppConfig config, TopicNames topics,
                    @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Clock clock) {
        this.sessions = sessions;
        this.enabled = config.enabled();
        this.consumer = new BroadcastConsumer("xmpp-deleted-accounts", bootstrapServers, List.of(topics.accounts()),
                clock.instant(), this::apply, clock);
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            consumer.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        consumer.stop();
    }

    void apply(CloudEvent<?> event) {
        if (event.data() instanceof AccountDeleted deleted) {
            for (ClientSession session : List.copyOf(sessions.sessionsOf(deleted.jid()))) {
                session.close("not-authorized", "the account was deleted");
            }
        }
    }
}
