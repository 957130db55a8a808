package org.buddycloud.contracts.problem;

/**
 * The one exception a service's domain core throws to refuse a request: a {@link Condition} and a
 * message for the client. Protocol adapters turn it into an HTTP problem or an XMPP error.
 */
public class DomainException extends RuntimeException {

    private final Condition condition;

    public DomainException(Condition condition, String message) {
        super(message, null, false, false);
        this.condition = condition;
    }

    public Condition condition() {
        return condition;
    }
}
