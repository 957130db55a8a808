package org.buddycloud.xmppkit.s2s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.buddycloud.testsupport.TestDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;

/** Where to connect for a peer: configured routes first, then SRV records from a real (local) DNS server. */
class PeerResolverTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private TestDns dns;

    @BeforeEach
    void startDns() throws IOException {
        dns = new TestDns();
    }

    @AfterEach
    void stopDns() {
        dns.close();
    }

    @Test
    void aRouteForTheDomainComesBeforeDns() throws IOException {
        dns.add(srv("capulet.lit", 0, 0, 5269, "xmpp.capulet.lit"));
        PeerResolver resolver = resolver(Map.of("Capulet.LIT", new PeerAddress("10.0.0.7", 15269)));

        assertEquals(List.of(new PeerAddress("10.0.0.7", 15269)), resolver.resolve("capulet.lit"));
        assertEquals(List.of(new PeerAddress("10.0.0.7", 15269)), resolver.resolve("CAPULET.lit."));
    }

    @Test
    void aParentDomainsRouteServesItsSubdomainsUnlessTheyHaveTheirOwn() throws IOException {
        PeerResolver resolver = resolver(Map.of(
                "capulet.lit", new PeerAddress("capulet-gw", 5269),
                "media.capulet.lit", new PeerAddress("media-gw", 5270)));

        assertEquals(List.of(new PeerAddress("capulet-gw", 5269)), resolver.resolve("channels.capulet.lit"));
        assertEquals(List.of(new PeerAddress("capulet-gw", 5269)), resolver.resolve("a.b.capulet.lit"));
        assertEquals(List.of(new PeerAddress("media-gw", 5270)), resolver.resolve("media.capulet.lit"));
        assertEquals(List.of(new PeerAddress("media-gw", 5270)), resolver.resolve("x.media.capulet.lit"));
        // not a parent: a domain that merely ends in the same letters
        assertEquals(List.of(new PeerAddress("montague.lit", 5269)), resolver.resolve("montague.lit"));
        assertEquals(List.of(new PeerAddress("notcapulet.lit", 5269)), resolver.resolve("notcapulet.lit"));
    }

    @Test
    void srvTargetsComeByPriorityLowestFirst() throws IOException {
        dns.add(srv("capulet.lit", 30, 50, 5271, "c.capulet.lit"))
                .add(srv("capulet.lit", 10, 0, 5269, "a.capulet.lit"))
                .add(srv("capulet.lit", 20, 100, 5270, "B.capulet.lit"));

        assertEquals(List.of(new PeerAddress("a.capulet.lit", 5269), new PeerAddress("b.capulet.lit", 5270),
                new PeerAddress("c.capulet.lit", 5271)), resolver(Map.of()).resolve("Capulet.lit"));
    }

    @Test
    void withinAPriorityTheWeightsSetHowOftenATargetComesFirst() throws IOException {
        dns.add(srv("capulet.lit", 10, 90, 5269, "heavy.capulet.lit"))
                .add(srv("capulet.lit", 10, 10, 5269, "light.capulet.lit"))
                .add(srv("capulet.lit", 10, 0, 5269, "spare.capulet.lit"))
                .add(srv("capulet.lit", 20, 0, 5269, "backup.capulet.lit"));
        PeerResolver resolver = new PeerResolver(Map.of(), true, Optional.of(dns.address()), TIMEOUT, new Random(2782));
        int rounds = 400;
        int heavyFirst = 0;
        int spareFirst = 0;
        for (int i = 0; i < rounds; i++) {
            List<PeerAddress> order = resolver.resolve("capulet.lit");
            assertEquals(4, new HashSet<>(order).size(), "every target once: " + order);
            assertEquals("backup.capulet.lit", order.get(3).host(), "the lower priority last");
            heavyFirst += order.get(0).host().equals("heavy.capulet.lit") ? 1 : 0;
            spareFirst += order.get(0).host().equals("spare.capulet.lit") ? 1 : 0;
        }
        // expected 90/101 and 1/101 of the rounds; the seed makes the counts fixed, the bounds show what they mean
        assertTrue(heavyFirst > rounds * 80 / 100 && heavyFirst < rounds * 97 / 100, "heavy first " + heavyFirst);
        assertTrue(spareFirst < rounds * 5 / 100, "weight 0 first " + spareFirst);
    }

    @Test
    void aLoneDotTargetMeansTheDomainTakesNoFederation() throws IOException {
        dns.add(srv("capulet.lit", 0, 0, 0, "."));

        assertEquals(List.of(), resolver(Map.of()).resolve("capulet.lit"));
    }

    @Test
    void withoutSrvRecordsTheDomainIsTriedOnPort5269() throws IOException {
        // NXDOMAIN for the SRV name
        assertEquals(List.of(new PeerAddress("capulet.lit", 5269)), resolver(Map.of()).resolve("capulet.lit"));
        // the name exists but has no SRV records
        dns.add(new ARecord(Name.fromString("_xmpp-server._tcp.montague.lit."), DClass.IN, 300,
                InetAddress.getByAddress(new byte[] {10, 0, 0, 9})));
        assertEquals(List.of(new PeerAddress("montague.lit", 5269)), resolver(Map.of()).resolve("montague.lit"));
    }

    @Test
    void withoutDnsADomainWithoutARouteIsTriedOnPort5269() throws IOException {
        dns.add(srv("capulet.lit", 0, 0, 5999, "xmpp.capulet.lit"));
        PeerResolver resolver = new PeerResolver(Map.of(), false, Optional.of(dns.address()), TIMEOUT);

        assertEquals(List.of(new PeerAddress("capulet.lit", 5269)), resolver.resolve("capulet.lit"));
    }

    @Test
    void aDnsServerThatDoesNotAnswerIsAnErrorNotAFallback() {
        dns.keepSilent();
        PeerResolver resolver = new PeerResolver(Map.of(), true, Optional.of(dns.address()), Duration.ofMillis(200));

        IOException error = assertThrows(IOException.class, () -> resolver.resolve("capulet.lit"));
        assertTrue(error.getMessage().contains("_xmpp-server._tcp.capulet.lit"), error.getMessage());
    }

    @Test
    void aServerFailureIsAnErrorNotAFallback() {
        dns.add(srv("capulet.lit", 0, 0, 5269, "xmpp.capulet.lit"));
        dns.failWith(Rcode.SERVFAIL);

        IOException error = assertThrows(IOException.class, () -> resolver(Map.of()).resolve("capulet.lit"));
        assertTrue(error.getMessage().contains("SERVFAIL"), error.getMessage());
    }

    @Test
    void aDomainNamesItsChannelServerInATxtRecord() throws IOException {
        dns.add(new TXTRecord(Name.fromString("_bcloud-server._tcp.capulet.lit."), DClass.IN, 300,
                "v=1.0 server=Buddycloud.Capulet.lit"));
        assertEquals(Optional.of("buddycloud.capulet.lit"), resolver(Map.of()).channelServer("capulet.lit"));
        assertEquals(Optional.empty(), resolver(Map.of()).channelServer("montague.lit"), "no record, no channel server");
        assertEquals(Optional.empty(), new PeerResolver(Map.of(), false, Optional.of(dns.address()), TIMEOUT).channelServer("capulet.lit"),
                "without DNS there is nothing to read");
    }

    @Test
    void onlyAVersionOneRecordWithAServerCounts() {
        assertEquals(Optional.of("channels.capulet.lit"), PeerResolver.serverOf("v=1.0 server=channels.capulet.lit"));
        assertEquals(Optional.of("channels.capulet.lit"), PeerResolver.serverOf("  v=1.0   priority=1 server=channels.capulet.lit "));
        assertEquals(Optional.empty(), PeerResolver.serverOf("server=channels.capulet.lit"), "no version");
        assertEquals(Optional.empty(), PeerResolver.serverOf("v=spf1 include:capulet.lit"), "another kind of record");
        assertEquals(Optional.empty(), PeerResolver.serverOf("v=1.0 server="), "no server");
    }

    private PeerResolver resolver(Map<String, PeerAddress> routes) {
        return new PeerResolver(routes, true, Optional.of(dns.address()), TIMEOUT);
    }

    private static SRVRecord srv(String domain, int priority, int weight, int port, String target) {
        try {
            return new SRVRecord(Name.fromString("_xmpp-server._tcp." + domain + "."), DClass.IN, 300, priority, weight, port,
                    Name.fromString(target.endsWith(".") ? target : target + "."));
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
