package org.buddycloud.media.storage;

/** S3 could not do what was asked (unreachable, refused); answered as 503 by the HTTP layer. */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
