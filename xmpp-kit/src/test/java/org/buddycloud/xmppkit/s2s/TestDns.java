package org.buddycloud.xmppkit.s2s;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A DNS server on 127.0.0.1 (an ephemeral UDP port) for tests: it answers from the records a test adds, NXDOMAIN for a
 * name without records, NOERROR with no answers for a name that has records of other types. It can also fail every
 * query with a given rcode, or keep silent.
 */
final class TestDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private volatile boolean silent;
    private volatile int failure = Rcode.NOERROR;

    TestDns() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread server = new Thread(this::serve, "test-dns");
        server.setDaemon(true);
        server.start();
    }

    /** {@code host:port} for the resolver under test. */
    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    TestDns add(Record record) {
        records.computeIfAbsent(record.getName(), name -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    /** Queries go unanswered from now on, as when a server or the path to it is down. */
    void keepSilent() {
        silent = true;
    }

    /** Every query is answered with {@code rcode} (e.g. SERVFAIL) from now on. */
    void failWith(int rcode) {
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
