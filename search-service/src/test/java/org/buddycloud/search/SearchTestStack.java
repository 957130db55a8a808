package org.buddycloud.search;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.localstack.Ports;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.QuarkusAppProcess;
import org.buddycloud.testsupport.ServiceTestStack;

/**
 * The service test stack with the channel server accepting the search service as its directory component
 * ({@code directory.localhost}, a XEP-0114 link with a shared secret), so that tests ask the directory over XMPP; and
 * the packaged taste engine on the same broker, which the directory asks for recommendations and similar channels.
 */
public class SearchTestStack extends ServiceTestStack {

    static final String DIRECTORY = "directory.localhost";
    private static final String SECRET = "test-directory-secret";
    private final int componentPort = Ports.free();
    private QuarkusAppProcess tasteEngine;

    @Override
    protected Map<String, String> channelServerSettings() {
        return Map.of("buddycloud.xmpp.components.port", Integer.toString(componentPort),
                "buddycloud.xmpp.components.accept.\"" + DIRECTORY + "\".secret", SECRET);
    }

    @Override
    protected Map<String, String> startMore(Map<String, String> config, ChannelServerProcess channelServer) {
        Map<String, String> tasteConfig = new HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith("kafka.") || key.startsWith("buddycloud.auth.")) {
                tasteConfig.put(key, value);
            }
        });
        tasteEngine = QuarkusAppProcess.start("taste-engine",
                Path.of(System.getProperty("buddycloud.taste-engine.app", "../taste-engine/target/quarkus-app/quarkus-run.jar")),
                tasteConfig, List.of("-Xmx256m"));
        return Map.of("buddycloud.search.taste-engine.url", tasteEngine.baseUrl(),
                "buddycloud.search.xmpp.host", "127.0.0.1",
                "buddycloud.search.xmpp.port", Integer.toString(componentPort),
                "buddycloud.search.xmpp.domain", DIRECTORY,
                "buddycloud.search.xmpp.secret", SECRET);
    }

    @Override
    protected void stopMore() {
        if (tasteEngine != null) {
            tasteEngine.close();
        }
    }
}
