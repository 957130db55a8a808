package org.buddycloud.media.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits and caching of the media API. */
@ConfigMapping(prefix = "buddycloud.media")
public interface MediaConfig {

    /** Largest file accepted, declared and actual (100 MB as in the original). */
    @WithDefault("104857600")
    long maxSize();

    /** The old base64 form holds the whole body in memory, so it gets a smaller limit than multipart. */
    @WithDefault("10485760")
    long maxBase64Size();

    /** Images whose header claims more pixels than this get no preview (decompression bombs are refused unread). */
    @WithDefault("40000000")
    long maxPreviewPixels();

    /** How long a presigned upload or download URL works. */
    @WithDefault("15m")
    Duration transferValidity();

    /**
     * An upload not recorded this long after it started (a presigned one: after its URL expired) is abandoned:
     * the sweeper removes its bytes. Longer than any upload can take.
     */
    @WithDefault("1h")
    Duration abandonedUploadGrace();

    /** How often the sweeper looks for abandoned uploads. */
    @WithDefault("1m")
    Duration sweepInterval();

    /** How long clients may cache a file of an open channel (others: private caches only). */
    @WithDefault("1d")
    Duration cacheMaxAge();
}
