package org.buddycloud.search.domain;

/** The index refuses a change for what it is (a value its mapping cannot hold): asking again will not help. */
public class IndexRejectedException extends RuntimeException {
    public IndexRejectedException(String message) {
        super(message);
    }
}
