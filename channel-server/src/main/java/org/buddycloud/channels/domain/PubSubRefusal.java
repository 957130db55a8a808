package org.buddycloud.channels.domain;

import java.util.Optional;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * A refusal whose reason is one of XEP-0060's own application conditions that the shared
 * {@code AppCondition} does not name (§7.1.3, §12): a payload of the wrong kind or none at all, an
 * unsupported feature. Adapters see a {@link DomainException} with its condition like any other; the
 * XMPP one adds the reason in {@code pubsub#errors}.
 */
public final class PubSubRefusal extends DomainException {

    /** XEP-0060 §12 application conditions not in {@code AppCondition}. */
    public enum Reason {
        INVALID_PAYLOAD("invalid-payload"),
        PAYLOAD_REQUIRED("payload-required"),
        UNSUPPORTED("unsupported");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final Reason reason;
    private final String feature;

    public PubSubRefusal(Condition condition, Reason reason, String message) {
        this(condition, reason, null, message);
    }

    private PubSubRefusal(Condition condition, Reason reason, String feature, String message) {
        super(condition, message);
        this.reason = reason;
        this.feature = feature;
    }

    /** XEP-0060 §12: {@code <unsupported feature='…'/>}; XMPP answers it with {@code feature-not-implemented}. */
    public static PubSubRefusal unsupported(String feature, String message) {
        return new PubSubRefusal(Condition.BAD_REQUEST, Reason.UNSUPPORTED, feature, message);
    }

    public Reason reason() {
        return reason;
    }

    /** The {@code pubsub#…} feature an {@link Reason#UNSUPPORTED} refusal names. */
    public Optional<String> feature() {
        return Optional.ofNullable(feature);
    }
}
