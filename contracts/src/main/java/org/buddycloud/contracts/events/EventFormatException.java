package org.buddycloud.contracts.events;

/** An event that cannot be read (bad JSON, missing attribute). Consumers log it and move on. */
public class EventFormatException extends RuntimeException {
    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public EventFormatException(String message) {
        super(message);
    }
}
