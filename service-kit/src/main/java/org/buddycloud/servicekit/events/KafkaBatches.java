package org.buddycloud.servicekit.events;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The consumers take their records in batches ({@code batch=true}): under load a consumer then gets everything
 * that arrived while it worked in one hand-over, instead of waiting for a dispatch per record. Records it sets
 * aside are nacked one by one, so the connector's failure strategy sends just those to the dead-letter topic.
 */
public final class KafkaBatches {

    private KafkaBatches() {
    }

    @SuppressWarnings("unchecked")
    public static ConsumerRecord<String, byte[]> record(KafkaRecord<String, byte[]> message) {
        return (ConsumerRecord<String, byte[]>) message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow().getRecord();
    }

    /** The batch is done once the records set aside have reached the dead-letter topic. */
    public static CompletionStage<Void> done(KafkaRecordBatch<String, byte[]> batch, List<CompletionStage<Void>> setAside) {
        return CompletableFuture.allOf(setAside.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> batch.ack());
    }
}
