package org.buddycloud.locals3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 endpoint on this machine: s3proxy (S3 REST protocol with SigV4 and presigned URLs) over
 * a folder. Prints {@code READY s3 http://127.0.0.1:<port>} once it accepts requests, then serves
 * until the process is stopped. Production uses MinIO or AWS S3 instead; only configuration changes.
 *
 * <pre>S3Endpoint --port 9000 --data DIR --access-key KEY --secret-key SECRET</pre>
 */
public final class S3Endpoint {

    private S3Endpoint() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path data = Files.createDirectories(Path.of(options.getOrDefault("data", "s3-data")).toAbsolutePath());
        int port = Integer.parseInt(options.getOrDefault("port", "9000"));
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", data.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2").credentials("unused", "unused")
                .overrides(properties).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://" + options.getOrDefault("host", "127.0.0.1") + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, options.getOrDefault("access-key", "buddycloud"),
                        options.getOrDefault("secret-key", "buddycloud-secret"))
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState())) {
                throw new IllegalStateException("the S3 endpoint did not start on port " + port);
            }
            Thread.onSpinWait();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            } catch (Exception e) {
                // the process is ending either way; the data folder is consistent after every request
                Thread.currentThread().interrupt();
            } finally {
                context.close();
            }
        }));
        // the line ./buddycloud and S3Process wait for
        System.out.println("READY s3 http://127.0.0.1:" + proxy.getPort() + " data " + data);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
