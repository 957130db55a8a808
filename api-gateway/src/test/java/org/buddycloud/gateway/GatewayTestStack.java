package org.buddycloud.gateway;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.QuarkusAppProcess;
import org.buddycloud.testsupport.S3Process;
import org.buddycloud.testsupport.ServiceTestStack;

/**
 * Everything behind the gateway, for real: Kafka, PostgreSQL, the packaged channel server, media server (on a
 * local S3 endpoint) and push server. Search, taste and friend finder are not started: through the gateway they
 * answer 503, which the tests check. The gateway believes forwarding headers from the loopback address, so tests
 * can play clients at different addresses.
 */
public class GatewayTestStack extends ServiceTestStack {

    public static final String MEDIA_SERVER_URL = "buddycloud.test.media-server-url";

    /** Where the taste engine "is": a server that hangs up on every request (502), recording what it was sent. */
    static BrokenUpstream hangsUp;
    /** Where the friend finder "is": a server that never answers (504). */
    static BrokenUpstream silent;

    private S3Process s3;
    private QuarkusAppProcess media;
    private QuarkusAppProcess push;

    @Override
    protected List<String> databases() {
        return List.of("channels", "media", "push");
    }

    @Override
    protected Map<String, String> startMore(Map<String, String> stack, ChannelServerProcess channelServer) {
        s3 = S3Process.start(List.of("-Xmx256m"));
        Map<String, String> common = new HashMap<>();
        stack.forEach((key, value) -> {
            if (key.startsWith("kafka.") || key.startsWith("buddycloud.auth.") || key.equals("buddycloud.internal.secret")) {
                common.put(key, value);
            }
        });
        common.put("quarkus.datasource.username", "postgres");
        common.put("quarkus.log.level", "WARN");
        Map<String, String> mediaConfig = new HashMap<>(common);
        mediaConfig.putAll(Map.of("quarkus.datasource.jdbc.url", jdbcUrl("media"),
                "buddycloud.s3.endpoint", s3.endpoint(), "buddycloud.s3.access-key", S3Process.ACCESS_KEY,
                "buddycloud.s3.secret-key", S3Process.SECRET_KEY));
        media = QuarkusAppProcess.start("media-server", Path.of("../media-server/target/quarkus-app/quarkus-run.jar"),
                mediaConfig, List.of("-Xmx256m"));
        Map<String, String> pushConfig = new HashMap<>(common);
        pushConfig.put("quarkus.datasource.jdbc.url", jdbcUrl("push"));
        push = QuarkusAppProcess.start("push-server", Path.of("../push-server/target/quarkus-app/quarkus-run.jar"),
                pushConfig, List.of("-Xmx256m"));
        try {
            hangsUp = new BrokenUpstream(BrokenUpstream.Behaviour.HANGS_UP);
            silent = new BrokenUpstream(BrokenUpstream.Behaviour.SILENT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.of(
                "buddycloud.gateway.upstream.taste-engine", hangsUp.url(),
                "buddycloud.gateway.upstream.friend-finder", silent.url(),
                "buddycloud.gateway.idle-timeout", "15s",
                "buddycloud.gateway.upstream.channel-server", channelServer.baseUrl(),
                "buddycloud.gateway.upstream.media-server", media.baseUrl(),
                "buddycloud.gateway.upstream.push-server", push.baseUrl(),
                // nothing listens on port 1: the services not built yet are "down"
                "buddycloud.gateway.upstream.search-service", "http://127.0.0.1:1",
                "buddycloud.gateway.trusted-proxies", "127.0.0.1,::1",
                MEDIA_SERVER_URL, media.baseUrl());
    }

    @Override
    protected void stopMore() {
        for (AutoCloseable process : new AutoCloseable[] {push, media, s3, hangsUp, silent}) {
            try {
                if (process != null) {
                    process.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
