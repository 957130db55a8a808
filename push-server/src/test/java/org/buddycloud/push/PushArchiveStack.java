package org.buddycloud.push;

import java.util.HashMap;
import java.util.Map;
import org.buddycloud.localstack.Ports;
import org.buddycloud.testsupport.ServiceTestStack;

/**
 * The service test stack whose channel server takes an account's notification settings into its archive from the push
 * server under test and sets them again on import, as {@code ./buddycloud} wires the two: the push server is put on a
 * port chosen here, so that the channel server, started first, knows where it will be.
 */
public class PushArchiveStack extends ServiceTestStack {

    private final int pushPort = Ports.free();

    @Override
    protected Map<String, String> channelServerSettings() {
        return Map.of("buddycloud.portability.push-url", "http://localhost:" + pushPort, "buddycloud.portability.poll-interval", "1s");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("quarkus.http.test-port", Integer.toString(pushPort));
        return config;
    }
}
