package org.buddycloud.media.upload;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** XEP-0363 uploads: the slot tokens the channel server signs for {@code PUT /upload/{slot}/{filename}}. */
@ConfigMapping(prefix = "buddycloud.upload")
public interface UploadConfig {

    /** The audience of slot tokens; the channel server's {@code buddycloud.upload.audience} must match. */
    @WithDefault("buddycloud-upload")
    String audience();
}
