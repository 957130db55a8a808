package org.buddycloud.channels.xmpp.server;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.ReplicaCursor;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A deleted account's XMPP sessions end, on whichever replica holds them: the deletion (REST, XEP-0077
 * {@code <remove/>}) is learnt from {@code buddycloud.accounts} like every other change (channel
 * {@code xmpp-deleted-accounts}, a consumer group per replica), and a session of an account that no longer
 * exists would otherwise go on sending and receiving. A replayed deletion ends nobody's new session.
 */
@ApplicationScoped
public class DeletedAccounts {

    static final String CHANNEL = "xmpp-deleted-accounts";

    private final SessionRegistry sessions;
    private final EventRecords records;
    private final ReplicaCursor cursor = new ReplicaCursor();

    DeletedAccounts(SessionRegistry sessions, EventRecords records) {
        this.sessions = sessions;
        this.records = records;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return cursor.onceEach(batch, records, CHANNEL, event -> {
            if (event.data() instanceof AccountDeleted deleted) {
                for (ClientSession session : List.copyOf(sessions.localSessionsOf(deleted.jid()))) {
                    session.close("not-authorized", "the account was deleted");
                }
            }
        });
    }

    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startAtTheEnd() {
        return cursor.listener();
    }
}
