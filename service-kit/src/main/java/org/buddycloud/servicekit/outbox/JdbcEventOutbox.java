package org.buddycloud.servicekit.outbox;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.util.function.Consumer;
import org.buddycloud.servicekit.jdbc.Sql;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventCodec;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.events.EventPayload;
import org.buddycloud.contracts.events.EventType;

/**
 * Writes each event into the {@code outbox} table inside the caller's transaction, so an event
 * exists if and only if its change was committed. After commit it wakes the relay and hands the
 * event to {@code afterCommit}, for what this replica must know or do at once rather than from Kafka
 * (the channel server applies a token revocation to itself that way, and notifies its own sessions).
 */
public final class JdbcEventOutbox implements EventOutbox {

    private final Sql sql;
    private final EventCodec codec;
    private final String source;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final Consumer<CloudEvent<?>> afterCommit;
    private final Runnable wakeRelay;

    public JdbcEventOutbox(Sql sql, EventCodec codec, String source, Clock clock, TransactionSynchronizationRegistry transactions,
                           Consumer<CloudEvent<?>> afterCommit, Runnable wakeRelay) {
        this.sql = sql;
        this.codec = codec;
        this.source = source;
        this.clock = clock;
        this.transactions = transactions;
        this.afterCommit = afterCommit;
        this.wakeRelay = wakeRelay;
    }

    @Override
    public <T extends EventPayload> void add(EventType<T> type, T payload) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("events are written in the transaction of their change; none is active");
        }
        CloudEvent<T> event = CloudEvent.of(type, source, payload, clock.instant());
        sql.update("""
                INSERT INTO outbox (event_id, topic, event_type, subject, source, event_time, data)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
                event.id(), type.topic(), event.type(), event.subject(), event.source(), event.time(), codec.writeData(payload));
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    try {
                        afterCommit.accept(event);
                    } finally {
                        wakeRelay.run();
                    }
                }
            }
        });
    }
}
