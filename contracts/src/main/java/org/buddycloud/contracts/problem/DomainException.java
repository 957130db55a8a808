package org.buddycloud.contracts.problem;

import java.util.Optional;

/**
 * The one exception a service's domain core throws to refuse a request: a {@link Condition}, where
 * it helps an {@link AppCondition} naming the buddycloud reason, and a message for the client.
 * Protocol adapters turn it into an HTTP problem or an XMPP error.
 */
public class DomainException extends RuntimeException {

    private final Condition condition;
    private final AppCondition appCondition;

    public DomainException(Condition condition, String message) {
        this(condition, null, message);
    }

    public DomainException(Condition condition, AppCondition appCondition, String message) {
        super(message, null, false, false);
        this.condition = condition;
        this.appCondition = appCondition;
    }

    public Condition condition() {
        return condition;
    }

    public Optional<AppCondition> appCondition() {
        return Optional.ofNullable(appCondition);
    }
}
