package org.buddycloud.gateway.edge;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.buddycloud.gateway.GatewayConfig;

/**
 * The connections a client holds open through the gateway — live streams and XMPP WebSockets — counted per client
 * address and per account ({@code buddycloud.gateway.limits.streams-per-*}): a request ends by itself, an open
 * connection holds memory and a slot in the hub until the client lets go.
 */
@ApplicationScoped
public class OpenStreams {

    private final Map<String, AtomicInteger> perAccount = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final GatewayConfig.Limits limits;

    OpenStreams(GatewayConfig config) {
        this.limits = config.limits();
    }

    /**
     * Counts a new connection in, or refuses it (429) when the address or the account holds too many already.
     *
     * @param account the caller's account when the edge knows it (an XMPP stream logs in later, inside)
     */
    public Slot take(String client, Optional<String> account) {
        String address = ClientAddresses.limitKey(client);
        if (!count(perAddress, address, limits.streamsPerAddress())) {
            throw tooMany("too many open streams from " + client);
        }
        if (account.isPresent() && !count(perAccount, account.get(), limits.streamsPerAccount())) {
            uncount(perAddress, address);
            throw tooMany("too many open streams for " + account.get() + "; close one first");
        }
        return new Slot(address, account);
    }

    /** A connection's place in the counts, given back once however often it is released. */
    public final class Slot {
        private final String address;
        private final Optional<String> account;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Slot(String address, Optional<String> account) {
            this.address = address;
            this.account = account;
        }

        public void release() {
            if (held.compareAndSet(true, false)) {
                uncount(perAddress, address);
                account.ifPresent(key -> uncount(perAccount, key));
            }
        }
    }

    private static EdgeRefusal tooMany(String detail) {
        return EdgeRefusal.tooManyRequests(detail, Duration.ofSeconds(30));
    }

    private static boolean count(Map<String, AtomicInteger> counts, String key, int max) {
        AtomicInteger count = counts.computeIfAbsent(key, k -> new AtomicInteger());
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return false;
        }
        return true;
    }

    private static void uncount(Map<String, AtomicInteger> counts, String key) {
        counts.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
