package org.buddycloud.media.rest;

import java.util.HashMap;
import java.util.Map;
import org.buddycloud.localstack.Ports;
import org.buddycloud.testsupport.ServiceTestStack;

/**
 * The service test stack whose channel server takes an account's files into its archive from the media server under
 * test and uploads them again on import, as {@code ./buddycloud} wires the two: the media server is put on a port
 * chosen here, so that the channel server, started first, knows where it will be.
 */
public class ArchiveMediaStack extends ServiceTestStack {

    private final int mediaPort = Ports.free();

    @Override
    protected Map<String, String> channelServerSettings() {
        return Map.of("buddycloud.portability.media-url", "http://localhost:" + mediaPort, "buddycloud.portability.poll-interval", "1s");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("quarkus.http.test-port", Integer.toString(mediaPort));
        return config;
    }
}
