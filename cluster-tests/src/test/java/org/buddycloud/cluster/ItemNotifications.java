package org.buddycloud.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smackx.pubsub.EventElement;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.ItemsExtension;

/** Every pubsub item notification of one node that a client receives, counted per item id from the moment it is made. */
final class ItemNotifications {

    /** How long a second copy is given to show up once every first one arrived. */
    private static final Duration SECOND_COPY = Duration.ofSeconds(2);

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    ItemNotifications(XMPPConnection connection, String node) {
        connection.addStanzaListener(stanza -> {
            EventElement event = EventElement.from(stanza);
            if (event != null && event.getEvent() instanceof ItemsExtension items && node.equals(items.getNode())) {
                items.getItems().stream().filter(Item.class::isInstance).map(item -> ((Item) item).getId())
                        .forEach(id -> counts.merge(id, 1, Integer::sum));
            }
        }, StanzaTypeFilter.MESSAGE);
    }

    /**
     * Waits up to {@code wait} until each of the items was notified, then watches {@link #SECOND_COPY} longer for one
     * notified again; fails naming what is missing or came twice. Items not expected may come, once each: a post whose
     * request failed may have been kept all the same.
     */
    void assertEachOnce(Collection<String> itemIds, Duration wait, String who) {
        await().atMost(wait).untilAsserted(() -> {
            List<String> missing = itemIds.stream().filter(id -> times(id) == 0).toList();
            assertEquals(0, missing.size(), who + " was not notified of " + missing.size() + " of " + itemIds.size()
                    + " posts, e.g. " + missing.stream().limit(5).toList());
        });
        await().during(SECOND_COPY).atMost(SECOND_COPY.multipliedBy(3))
                .failFast(who + " was notified twice of a post", () -> !duplicates().isEmpty()).until(() -> true);
        assertEquals(Map.of(), duplicates(), who + " was notified twice of these posts");
    }

    /** How often the item was notified. */
    int times(String itemId) {
        return counts.getOrDefault(itemId, 0);
    }

    /** The items notified more than once, with how often (sorted, for a readable failure). */
    Map<String, Integer> duplicates() {
        Map<String, Integer> twice = new TreeMap<>();
        counts.forEach((id, n) -> {
            if (n > 1) {
                twice.put(id, n);
            }
        });
        return twice;
    }

    Set<String> ids() {
        return Set.copyOf(counts.keySet());
    }

    /** Notifications in all: one per item when none came twice. */
    int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
