package org.buddycloud.channels.federation;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.s2s.S2sLinks;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jboss.logging.Logger;

/**
 * Which service of a domain is its buddycloud channel server (PROTOCOL.md §1.1): the items of the domain's disco#items,
 * the one named {@code buddycloud-server} asked first, and the first whose disco#info has the identity
 * {@code pubsub/channels}; failing that, the one its DNS names (TXT {@code _bcloud-server._tcp.<domain>},
 * {@code v=1.0 server=<jid>}). A domain with none (a plain XMPP server) has its users talk to channels directly. Answers
 * are kept an hour, "none" five minutes; a domain that cannot be reached now is asked again next time, while a
 * service known before stays believed.
 */
@ApplicationScoped
public class ChannelServerDiscovery {

    private static final Logger LOG = Logger.getLogger(ChannelServerDiscovery.class);
    private static final Duration FOUND_FOR = Duration.ofHours(1);
    private static final Duration NONE_FOR = Duration.ofMinutes(5);
    static final String SHORTCUT = "buddycloud-server";

    private record Known(Optional<String> service, Instant until, Instant asked) {
    }

    /** Most domains remembered: beyond, expired answers are forgotten first, then new ones are not kept. */
    private static final int MAX_KNOWN = 10_000;
    /** A domain is asked again about a service it did not name at most this often (a stranger cannot make us ask more). */
    private static final Duration RECHECK_AFTER = Duration.ofMinutes(1);

    private final RemoteIqs iqs;
    private final S2sLinks links;
    private final XmppAddresses addresses;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Optional<String>>> asking = new ConcurrentHashMap<>();

    ChannelServerDiscovery(RemoteIqs iqs, S2sLinks links, XmppAddresses addresses, Clock clock) {
        this.links = links;
        this.iqs = iqs;
        this.addresses = addresses;
        this.clock = clock;
    }

    /** The channel service of {@code domain}, empty when it has none; fails when the domain cannot be reached now. */
    public CompletableFuture<Optional<String>> channelService(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        Known cached = known.get(key);
        if (cached != null && cached.until().isAfter(clock.instant())) {
            return CompletableFuture.completedFuture(cached.service());
        }
        return ask(key);
    }

    /** What is known now of the domain's channel server, without asking: empty when nothing is (it is asked meanwhile). */
    public Optional<Optional<String>> knownNow(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        Known cached = known.get(key);
        if (cached != null && cached.until().isAfter(clock.instant())) {
            return Optional.of(cached.service());
        }
        ask(key);
        return cached == null || cached.service().isEmpty() ? Optional.empty() : Optional.of(cached.service());
    }

    /** One question per domain at a time: who asks meanwhile waits for the same answer. */
    private CompletableFuture<Optional<String>> ask(String key) {
        CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
        CompletableFuture<Optional<String>> pending = asking.putIfAbsent(key, answer);
        if (pending != null) {
            return pending;
        }
        // the discovery may end at once (no stream to the domain): the map is changed only outside its own update
        discover(key).whenComplete((service, failure) -> {
            asking.remove(key, answer);
            if (failure == null) {
                remember(key, service);
                answer.complete(service);
                return;
            }
            // an outage does not make a known channel server unknown
            Known before = known.get(key);
            if (before != null && before.service().isPresent()) {
                answer.complete(before.service());
            } else {
                answer.completeExceptionally(new Unreachable(key, failure));
            }
        });
        return answer;
    }

    /**
     * Whether {@code service} is the channel server of {@code domain} (a remote speaking for its users or about its
     * nodes must be). A mismatch is checked once more against a fresh discovery (§1.1.5: the domain may have moved).
     */
    public CompletableFuture<Boolean> isChannelServiceOf(String domain, String service) {
        String key = domain.toLowerCase(Locale.ROOT);
        return channelService(key).thenCompose(found -> {
            if (found.map(service::equalsIgnoreCase).orElse(false)) {
                return CompletableFuture.completedFuture(true);
            }
            Known cached = known.get(key);
            if (cached != null && cached.asked().plus(RECHECK_AFTER).isAfter(clock.instant())) {
                return CompletableFuture.completedFuture(false);
            }
            // asked again, the answer known so far kept until a new one comes
            return discover(key).thenApply(again -> {
                remember(key, again);
                return again.map(service::equalsIgnoreCase).orElse(false);
            });
        }).exceptionally(failure -> false);
    }

    private void remember(String domain, Optional<String> service) {
        Instant now = clock.instant();
        if (known.size() >= MAX_KNOWN) {
            known.values().removeIf(k -> k.until().isBefore(now));
        }
        if (known.size() < MAX_KNOWN || known.containsKey(domain)) {
            known.put(domain, new Known(service, now.plus(service.isPresent() ? FOUND_FOR : NONE_FOR), now));
        }
    }

    private CompletableFuture<Optional<String>> discover(String domain) {
        XmlElement items = request(domain);
        items.add("query", Namespaces.DISCO_ITEMS);
        return iqs.ask(items).thenCompose(answer -> {
            if (answer.unreachable()) {
                throw new Unreachable(domain, null);
            }
            List<String> candidates = new ArrayList<>();
            answer.payload().filter(q -> q.is("query", Namespaces.DISCO_ITEMS)).ifPresent(query -> {
                for (XmlElement item : query.elements("item", Namespaces.DISCO_ITEMS)) {
                    String jid = item.attr("jid");
                    if (jid != null && item.attr("node") == null) {
                        if (SHORTCUT.equals(item.attr("name"))) {
                            candidates.add(0, jid);
                        } else {
                            candidates.add(jid);
                        }
                    }
                }
            });
            // none among its services: the domain may name one in DNS (§1.1's fallback)
            return firstChannelService(candidates, 0).thenCompose(found -> found.isPresent()
                    ? CompletableFuture.completedFuture(found) : links.channelServerRecord(domain).exceptionally(failure -> Optional.empty()));
        });
    }

    /** Asks the candidates in turn (a few: a domain's services); the first with identity pubsub/channels. */
    private CompletableFuture<Optional<String>> firstChannelService(List<String> candidates, int index) {
        if (index >= candidates.size() || index >= 10) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String candidate = candidates.get(index);
        XmlElement info = request(candidate);
        info.add("query", Namespaces.DISCO_INFO);
        return iqs.ask(info).thenCompose(answer -> {
            boolean channels = answer.payload().filter(q -> q.is("query", Namespaces.DISCO_INFO)).stream()
                    .flatMap(q -> q.elements("identity", Namespaces.DISCO_INFO).stream())
                    .anyMatch(i -> "pubsub".equals(i.attr("category")) && "channels".equals(i.attr("type")));
            if (channels) {
                LOG.debugf("found a buddycloud channel server: %s", candidate);
                return CompletableFuture.completedFuture(Optional.of(candidate));
            }
            return firstChannelService(candidates, index + 1);
        });
    }

    private XmlElement request(String to) {
        return XmlElement.of("iq", Namespaces.CLIENT).attr("type", "get").attr("from", addresses.channelService()).attr("to", to);
    }

    /** The domain's server could not be asked now (no stream, no answer). */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String domain, Throwable cause) {
            super("cannot ask " + domain + " for its channel server now", cause);
        }
    }
}
