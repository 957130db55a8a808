package org.buddycloud.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A service that fails, for the gateway's 502 and 504: it reads each request's head (kept for the test to look
 * at what the gateway passed on) and then hangs up without answering, or says nothing at all.
 */
final class BrokenUpstream implements AutoCloseable {

    enum Behaviour { HANGS_UP, SILENT }

    /** A query that makes a hanging-up server first answer a head and a tenth of the body it announced. */
    static final String PARTIAL = "partial-answer";

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    BrokenUpstream(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "broken-upstream-" + behaviour);
        accepting.setDaemon(true);
        accepting.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The request heads received so far (request line and headers). */
    List<String> heads() {
        return heads;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                String head = head(socket.getInputStream());
                heads.add(head);
                if (behaviour == Behaviour.HANGS_UP) {
                    if (head.contains(PARTIAL)) {
                        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().flush();
                    }
                    socket.close();
                } else {
                    held.add(socket);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        server.close();
    }
}
