package org.buddycloud.search.domain;

/** The index cannot be reached or written now (a cluster away, overloaded): the same request may work later. */
public class IndexUnavailableException extends RuntimeException {
    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
