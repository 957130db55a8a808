package org.buddycloud.xmppkit.s2s;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Where to connect for a remote XMPP server's domain, in the order to try (RFC 6120 §3.2, as Prosody does it):
 * <ol>
 * <li>a configured route for the domain, or else for its nearest parent domain (a route for {@code capulet.lit} also
 * serves {@code channels.capulet.lit}), for tests and closed networks;</li>
 * <li>else the {@code _xmpp-server._tcp} SRV records of the domain, by priority and, within a priority, in the weighted
 * random order of RFC 2782; a lone record with the target {@code .} says the domain takes no federation: no
 * addresses;</li>
 * <li>else, when the domain has no such records (or DNS is off), the domain itself on port 5269.</li>
 * </ol>
 * A DNS failure (no answer in time, SERVFAIL, REFUSED) is an {@link IOException}, not a fallback: a domain whose SRV
 * records could not be read may well have them, and guessing would send its traffic to the wrong host.
 * <p>
 * {@link #resolve} blocks for up to the timeout; run it off the event loop. It is safe to call from several threads.
 */
public final class PeerResolver {

    /** The port of RFC 6120 §14.7, used when a domain publishes no SRV records. */
    public static final int DEFAULT_PORT = 5269;
    private static final String SERVICE = "_xmpp-server._tcp.";
    private static final String CHANNEL_SERVER = "_bcloud-server._tcp.";

    private final Map<String, PeerAddress> routes;
    private final Resolver dns;
    private final RandomGenerator random;

    /**
     * @param routes     fixed addresses by domain, looked up before DNS (keys in any case)
     * @param dnsEnabled whether to ask DNS for domains without a route; without it they are tried on port 5269
     * @param dnsServer  the DNS server to ask, {@code host} or {@code host:port} ({@code [v6]:port}); empty: the
     *                   system's resolvers
     * @param timeout    how long one lookup may wait for an answer
     */
    public PeerResolver(Map<String, PeerAddress> routes, boolean dnsEnabled, Optional<String> dnsServer, Duration timeout) {
        this(routes, dnsEnabled, dnsServer, timeout, new Random());
    }

    /** As the public constructor, with the random source of the weighted order (seeded in tests). */
    PeerResolver(Map<String, PeerAddress> routes, boolean dnsEnabled, Optional<String> dnsServer, Duration timeout,
                 RandomGenerator random) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a DNS timeout must be positive");
        }
        this.routes = new HashMap<>();
        routes.forEach((domain, address) -> this.routes.put(normalised(domain), Objects.requireNonNull(address, domain)));
        this.dns = dnsEnabled ? resolver(dnsServer, timeout) : null;
        this.random = random;
    }

    /**
     * The addresses to try for {@code domain}, best first; empty when the domain says it takes no federation.
     *
     * @throws IOException when DNS gives no usable answer (timeout, server failure)
     */
    public List<PeerAddress> resolve(String domain) throws IOException {
        String wanted = normalised(domain);
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("no domain to resolve");
        }
        PeerAddress route = route(wanted);
        if (route != null) {
            return List.of(route);
        }
        if (dns == null) {
            return List.of(new PeerAddress(wanted, DEFAULT_PORT));
        }
        List<SRVRecord> records = srvRecords(wanted);
        if (records.isEmpty()) {
            return List.of(new PeerAddress(wanted, DEFAULT_PORT));
        }
        if (records.size() == 1 && records.get(0).getTarget().equals(Name.root)) {
            return List.of();
        }
        return ordered(records);
    }

    /**
     * The buddycloud channel server a domain names in DNS (PROTOCOL.md §1.1, the fallback of discovery): the
     * {@code server=} of a TXT record {@code _bcloud-server._tcp.<domain>} reading {@code v=1.0 server=<jid>}. Empty
     * without DNS, without such a record, or when the record names none.
     *
     * @throws IOException when DNS gives no usable answer (timeout, server failure)
     */
    public Optional<String> channelServer(String domain) throws IOException {
        String wanted = normalised(domain);
        if (dns == null || wanted.isEmpty()) {
            return Optional.empty();
        }
        for (Record record : answers(CHANNEL_SERVER + wanted, Type.TXT)) {
            if (record instanceof TXTRecord txt) {
                Optional<String> server = serverOf(String.join("", txt.getStrings()));
                if (server.isPresent()) {
                    return server;
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code server=} token of a {@code v=1.0 …} record, if it has one. */
    static Optional<String> serverOf(String text) {
        String[] tokens = text.trim().split("\\s+");
        if (tokens.length == 0 || !tokens[0].startsWith("v=1")) {
            return Optional.empty();
        }
        for (String token : tokens) {
            if (token.startsWith("server=") && token.length() > "server=".length()) {
                return Optional.of(normalised(token.substring("server=".length())));
            }
        }
        return Optional.empty();
    }

    /** The route of the domain, or else of its nearest parent. */
    private PeerAddress route(String domain) {
        for (String name = domain; ; name = name.substring(name.indexOf('.') + 1)) {
            PeerAddress route = routes.get(name);
            if (route != null || name.indexOf('.') < 0) {
                return route;
            }
        }
    }

    /** The SRV records of the domain; none when the name does not exist or has no SRV records. */
    private List<SRVRecord> srvRecords(String domain) throws IOException {
        List<SRVRecord> records = new ArrayList<>();
        for (Record record : answers(SERVICE + domain, Type.SRV)) {
            if (record instanceof SRVRecord srv) {
                records.add(srv);
            }
        }
        return records;
    }

    /** The answers of one query; none when the name does not exist. */
    private List<Record> answers(String name, int type) throws IOException {
        Name asked;
        try {
            asked = Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + name + "' is not a domain name", e);
        }
        Message answer;
        try {
            answer = dns.send(Message.newQuery(Record.newRecord(asked, type, DClass.IN)));
        } catch (IOException e) {
            throw new IOException("DNS gave no answer for " + asked + " " + Type.string(type) + ": " + e.getMessage(), e);
        }
        int rcode = answer.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return List.of();
        }
        if (rcode != Rcode.NOERROR) {
            throw new IOException("DNS answered " + Rcode.string(rcode) + " for " + asked + " " + Type.string(type));
        }
        return answer.getSection(Section.ANSWER);
    }

    /** By priority; within a priority, RFC 2782's weighted random order. A {@code .} among others is no host: left out. */
    private List<PeerAddress> ordered(List<SRVRecord> records) {
        Map<Integer, List<SRVRecord>> byPriority = new TreeMap<>();
        for (SRVRecord record : records) {
            if (!record.getTarget().equals(Name.root)) {
                byPriority.computeIfAbsent(record.getPriority(), priority -> new ArrayList<>()).add(record);
            }
        }
        List<PeerAddress> addresses = new ArrayList<>();
        for (List<SRVRecord> samePriority : byPriority.values()) {
            for (SRVRecord record : weightedOrder(samePriority)) {
                addresses.add(new PeerAddress(record.getTarget().toString(true), record.getPort()));
            }
        }
        return addresses;
    }

    /**
     * RFC 2782: zero weights first, then repeatedly pick a number in [0, sum of weights] and take the first record whose
     * running sum reaches it. A record of weight 0 is thus only first by the chance of picking 0.
     */
    private List<SRVRecord> weightedOrder(List<SRVRecord> samePriority) {
        List<SRVRecord> remaining = new ArrayList<>(samePriority);
        remaining.sort(Comparator.comparingInt(record -> record.getWeight() == 0 ? 0 : 1));
        List<SRVRecord> order = new ArrayList<>(remaining.size());
        while (!remaining.isEmpty()) {
            int total = remaining.stream().mapToInt(SRVRecord::getWeight).sum();
            int pick = random.nextInt(total + 1);
            int running = 0;
            for (int i = 0; i < remaining.size(); i++) {
                running += remaining.get(i).getWeight();
                if (running >= pick) {
                    order.add(remaining.remove(i));
                    break;
                }
            }
        }
        return order;
    }

    private static Resolver resolver(Optional<String> server, Duration timeout) {
        Resolver resolver = server.<Resolver>map(PeerResolver::simpleResolver).orElseGet(ExtendedResolver::new);
        resolver.setTimeout(timeout);
        return resolver;
    }

    /** {@code host}, {@code host:port} or {@code [v6]:port}; the port defaults to 53. */
    private static SimpleResolver simpleResolver(String server) {
        String host = server.trim();
        int port = SimpleResolver.DEFAULT_PORT;
        int colon = host.lastIndexOf(':');
        boolean bracketed = host.startsWith("[");
        if (colon > 0 && (bracketed ? host.indexOf(']') == colon - 1 : host.indexOf(':') == colon)) {
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the DNS server '" + server + "' has no valid port", e);
            }
            host = host.substring(0, colon);
        }
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            SimpleResolver resolver = new SimpleResolver(host);
            resolver.setPort(port);
            return resolver;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the DNS server '" + server + "' is not a known host", e);
        }
    }

    /** Lower case, without the trailing dot of a fully qualified name. */
    private static String normalised(String domain) {
        String lower = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
