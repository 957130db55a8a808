package org.buddycloud.media.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

    /** Set so the client skips its bucket-location round trip. */
    @WithDefault("us-east-1")
    String region();

    /** Created at start when missing. */
    @WithDefault("buddycloud-media")
    String bucket();
}
