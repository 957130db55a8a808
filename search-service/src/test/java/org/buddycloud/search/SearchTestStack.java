package org.buddycloud.search;

import java.util.Map;
import org.buddycloud.localstack.Ports;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.ServiceTestStack;

/**
 * The service test stack with the channel server accepting the search service as its directory component
 * ({@code directory.localhost}, a XEP-0114 link with a shared secret), so that tests ask the directory over XMPP.
 */
public class SearchTestStack extends ServiceTestStack {

    static final String DIRECTORY = "directory.localhost";
    private static final String SECRET = "test-directory-secret";
    private final int componentPort = Ports.free();

    @Override
    protected Map<String, String> channelServerSettings() {
        return Map.of("buddycloud.xmpp.components.port", Integer.toString(componentPort),
                "buddycloud.xmpp.components.accept.\"" + DIRECTORY + "\".secret", SECRET);
    }

    @Override
    protected Map<String, String> startMore(Map<String, String> config, ChannelServerProcess channelServer) {
        return Map.of("buddycloud.search.xmpp.host", "127.0.0.1",
                "buddycloud.search.xmpp.port", Integer.toString(componentPort),
                "buddycloud.search.xmpp.domain", DIRECTORY,
                "buddycloud.search.xmpp.secret", SECRET);
    }
}
