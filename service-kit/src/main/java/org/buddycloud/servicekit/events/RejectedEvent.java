package org.buddycloud.servicekit.events;

/**
 * A record a consumer cannot apply because of what it is — malformed, or of a type this version does not
 * know — not because of a passing failure. Thrown from a consumer method, it makes the connector's failure
 * strategy set the record aside on the dead-letter topic (its message becomes the {@code dead-letter-reason}
 * header) and go on with the next one.
 */
public final class RejectedEvent extends RuntimeException {

    public RejectedEvent(String message, Throwable cause) {
        super(message, cause);
    }
}
