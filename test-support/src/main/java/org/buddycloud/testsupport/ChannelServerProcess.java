package org.buddycloud.testsupport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.buddycloud.localstack.Ports;

/**
 * The packaged channel server (its Quarkus fast-jar) as a child process, for the tests of the
 * services that need real tokens from it. The reactor builds channel-server before them.
 */
public final class ChannelServerProcess implements AutoCloseable {

    private static final List<String> TEST_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
    private static final String KEY_STORE = "buddycloud.xmpp.tls.generated-key-store";

    private final QuarkusAppProcess app;
    private final int xmppPort;
    private final Path tlsKeyStore;

    private ChannelServerProcess(QuarkusAppProcess app, int xmppPort, Path tlsKeyStore) {
        this.app = app;
        this.xmppPort = xmppPort;
        this.tlsKeyStore = tlsKeyStore;
    }

    /** Started for tests: small heap, C1 only, because a quick start matters more than peak speed. */
    public static ChannelServerProcess start(Map<String, String> config) {
        return start(config, TEST_JVM);
    }

    /** Started with the given JVM options (benchmarks want the production JIT). */
    public static ChannelServerProcess start(Map<String, String> config, List<String> jvmOptions) {
        return start("channel-server", config, jvmOptions);
    }

    /**
     * One of several channel servers (replicas of one cluster), started for tests: {@code name} keeps its log
     * ({@code target/<name>-for-tests.log}) and its generated certificate apart from the others'.
     */
    public static ChannelServerProcess start(String name, Map<String, String> config) {
        return start(name, config, TEST_JVM);
    }

    /** Started under a name of its own (its log, its certificate) with the given JVM options: replicas side by side. */
    public static ChannelServerProcess start(String name, Map<String, String> config, List<String> jvmOptions) {
        Path jar = Path.of(System.getProperty("buddycloud.channel-server.app", "../channel-server/target/quarkus-app/quarkus-run.jar"));
        // its own XMPP port and certificate, so that it neither meets a running stack on 5222 nor litters the module folder
        Map<String, String> all = new java.util.HashMap<>(Map.of("buddycloud.xmpp.port", Integer.toString(Ports.free()),
                "buddycloud.xmpp.host", "127.0.0.1",
                KEY_STORE, Path.of("target", name + "-xmpp-tls.p12").toAbsolutePath().toString()));
        all.putAll(config);
        return new ChannelServerProcess(QuarkusAppProcess.start(name, jar, all, jvmOptions),
                Integer.parseInt(all.get("buddycloud.xmpp.port")), Path.of(all.get(KEY_STORE)));
    }

    public String baseUrl() {
        return app.baseUrl();
    }

    /** The XMPP client port (STARTTLS; SCRAM also works without TLS). */
    public int xmppPort() {
        return xmppPort;
    }

    /** The server process, for measuring its memory. */
    public long pid() {
        return app.pid();
    }

    /** The PKCS#12 key store (password {@code changeit}) whose self-signed certificate the server presents on STARTTLS. */
    public Path tlsKeyStore() {
        return tlsKeyStore;
    }

    /** Ends the server as a crash would (SIGKILL), and returns once it is gone. */
    public void kill() {
        app.kill();
    }

    @Override
    public void close() {
        app.close();
    }
}
