package org.buddycloud.servicekit.events;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** CloudEvents binary-mode attributes travel as UTF-8 Kafka headers. */
public final class KafkaHeaders {

    private KafkaHeaders() {
    }

    public static Map<String, String> read(Headers headers) {
        Map<String, String> values = new HashMap<>();
        for (Header header : headers) {
            if (header.value() != null) {
                values.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    public static void write(Map<String, String> values, Headers headers) {
        values.forEach((key, value) -> headers.add(key, value.getBytes(StandardCharsets.UTF_8)));
    }
}
