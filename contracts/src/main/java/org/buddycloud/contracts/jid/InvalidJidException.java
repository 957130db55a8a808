package org.buddycloud.contracts.jid;

/** A string that is not a valid JID or JID part; the message says why, for the client to read. */
public class InvalidJidException extends IllegalArgumentException {
    public InvalidJidException(String message) {
        super(message);
    }
}
