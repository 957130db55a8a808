package org.buddycloud.channels.xmpp.server;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.cluster.RelayedXml;
import org.buddycloud.channels.xmpp.cluster.ReplicaBus;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.Jid;

/** What other replicas send to this one's sessions: stanzas to hand over, and sessions to end. */
@ApplicationScoped
public class ReplicaDeliveries {

    private final UserDelivery users;
    private final SessionRegistry registry;
    private final XmppConfig config;

    ReplicaDeliveries(UserDelivery users, SessionRegistry registry, XmppConfig config) {
        this.users = users;
        this.registry = registry;
        this.config = config;
    }

    void listen(@Observes StartupEvent event, ReplicaBus bus) {
        bus.on(ReplicaBus.Kind.DELIVER, message -> RelayedXml.parse(message.body(), config)
                .ifPresent(stanza -> users.fromOtherReplica(Jid.parse(message.args().get(0)), stanza)));
        bus.on(ReplicaBus.Kind.CLOSE, message -> registry.localSession(Jid.parse(message.args().get(0)))
                .ifPresent(session -> session.close(message.args().get(1), message.args().get(2))));
    }
}
