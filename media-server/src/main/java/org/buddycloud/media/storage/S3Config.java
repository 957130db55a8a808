package org.buddycloud.media.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where media bytes live: any S3 endpoint (the local one of ./buddycloud up, MinIO, AWS S3). */
@ConfigMapping(prefix = "buddycloud.s3")
public interface S3Config {

    /** {@code http(s)://host:port}; path-style requests. */
    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    @WithDefault("buddycloud")
    String accessKey();

    @WithDefault("buddycloud-secret")
    String secretKey();

    /**
     * The endpoint as clients reach it, for presigned URLs (the signature covers the host), when it differs from
     * {@link #endpoint()}, e.g. an in-cluster service name behind a public ingress.
     */
    Optional<String> publicEndpoint();

    /** Set so the client skips its bucket-location round trip. */
    @WithDefault("us-east-1")
    String region();

    /** Created at start when missing. */
    @WithDefault("buddycloud-media")
    String bucket();
}
