package org.buddycloud.channels.upload;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** XEP-0363 HTTP File Upload: the slots this server hands out for the media server to take. */
@ConfigMapping(prefix = "buddycloud.upload")
public interface UploadConfig {

    /**
     * The public base URL the slots' PUT and GET URLs start with: the API gateway, which passes {@code /upload/…} to the
     * media server (the one origin apps reach; on Kubernetes the media server has no public address of its own).
     */
    @WithDefault("http://localhost:8080")
    URI baseUrl();

    /** Largest file a slot is given for; the media server's {@code buddycloud.media.max-size} (100 MB) — keep them equal. */
    @WithDefault("104857600")
    long maxFileSize();

    /** How long a slot's PUT URL works (the lifetime of the token it carries). */
    @WithDefault("5m")
    Duration slotLifetime();

    /** The audience of slot tokens: the media server accepts them for {@code PUT /upload/…} only, never as access tokens. */
    @WithDefault("buddycloud-upload")
    String audience();

    /**
     * Slots per account in each {@link #slotWindow()}: enough for an album shared at once, not for a client gone
     * wild (a slot costs a signature here and possibly 100 MB at the media server).
     */
    @WithDefault("60")
    int slotsPerWindow();

    @WithDefault("10m")
    Duration slotWindow();
}
