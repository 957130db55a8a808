package org.buddycloud.media.domain;

/** What a caller wants to do with a channel's media. */
public enum MediaAction {
    /** List, download, preview, read metadata. */
    READ,
    /** Store a new file (or replace the avatar). */
    UPLOAD,
    /** Change a file's metadata or delete it. */
    MODIFY
}
