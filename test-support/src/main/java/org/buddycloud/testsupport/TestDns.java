package org.buddycloud.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * A DNS server on 127.0.0.1 (an ephemeral UDP port) that answers from the records a test adds: NXDOMAIN for a name
 * without records, NOERROR with no answers for a name that has records of other types; or, when told, every query
 * failed with an rcode, or none answered. Real servers under test (a Prosody finding our XMPP server by SRV) use it as
 * their only resolver, so that made-up domains lead to loopback; resolvers of ours are tested against it.
 */
public final class TestDns implements AutoCloseable {

    private static final long TTL = 60;

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private volatile boolean silent;
    private volatile int failure = Rcode.NOERROR;

    public TestDns() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread server = new Thread(this::serve, "test-dns");
        server.setDaemon(true);
        server.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** {@code host:port}, as resolvers configured with a server name it. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public TestDns add(Record record) {
        records.computeIfAbsent(record.getName(), name -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    /**
     * {@code domain}'s XMPP server is on loopback at {@code port}: the SRV record {@code _xmpp-server._tcp.<domain>}
     * names the domain itself as target, and the domain's A record is 127.0.0.1.
     */
    public TestDns xmppServer(String domain, int port) {
        try {
            Name host = Name.fromString(domain, Name.root);
            add(new SRVRecord(Name.fromString("_xmpp-server._tcp." + domain, Name.root), DClass.IN, TTL, 0, 0, port, host));
            add(new ARecord(host, DClass.IN, TTL, InetAddress.getLoopbackAddress()));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + domain, e);
        }
        return this;
    }

    /** Queries go unanswered from now on, as when a server or the path to it is down. */
    public void keepSilent() {
        silent = true;
    }

    /** Every query is answered with {@code rcode} (e.g. SERVFAIL) from now on. */
    public void failWith(int rcode) {
        failure = rcode;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                if (silent) {
                    continue;
                }
                byte[] reply = answer(new Message(Arrays.copyOf(packet.getData(), packet.getLength()))).toWire();
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                // closed by the test, or a datagram that is no DNS query: nothing to answer
            }
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        List<Record> atName = records.get(question.getName());
        if (failure != Rcode.NOERROR) {
            response.getHeader().setRcode(failure);
        } else if (atName == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else {
            atName.stream().filter(record -> record.getType() == question.getType())
                    .forEach(record -> response.addRecord(record, Section.ANSWER));
        }
        return response;
    }

    @Override
    public void close() {
        socket.close();
    }
}
