package org.buddycloud.push.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddycloud.push.store.DeliveryQueue;
import org.buddycloud.push.store.DeliveryQueue.DeadLetter;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Deliveries given up after their last attempt go to the dead-letter topic ({@code buddycloud.push.dead-letters},
 * JSON, keyed by recipient; README.md describes the fields — never the post's text) for an operator to look at or
 * replay. A row leaves the database only after the broker acknowledged it, so none is lost while Kafka is away.
 */
@ApplicationScoped
public class DeadLetters {

    static final String CHANNEL = "push-dead-letters";
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final DeliveryQueue queue;
    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final AtomicBoolean publishing = new AtomicBoolean();

    DeadLetters(DeliveryQueue queue, @Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json) {
        this.queue = queue;
        this.emitter = emitter;
        this.json = json;
    }

    /** A delivery was just given up: publish it soon rather than at the next scheduled run. */
    public void wake() {
        CompletableFuture.runAsync(this::publish);
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publish() {
        if (!publishing.compareAndSet(false, true)) {
            return;
        }
        try {
            int published;
            do {
                // rows locked while they are published, so that two replicas do not both publish them
                published = QuarkusTransaction.requiringNew().call(() -> {
                    List<DeadLetter> dead = queue.dead(100);
                    for (DeadLetter letter : dead) {
                        send(letter).get(30, TimeUnit.SECONDS);
                        queue.forget(letter.id());
                    }
                    return dead.size();
                });
            } while (published == 100);
        } catch (Exception e) {
            LOG.warnf("dead letters wait in the database until Kafka takes them: %s", e.getMessage());
        } finally {
            publishing.set(false);
        }
    }

    private CompletableFuture<Void> send(DeadLetter letter) throws JsonProcessingException {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        String value = json.writeValueAsString(letter);
        emitter.send(Message.of(value, Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(letter.recipient()).build()))
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }

}
