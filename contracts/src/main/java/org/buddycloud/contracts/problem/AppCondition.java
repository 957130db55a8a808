package org.buddycloud.contracts.problem;

import com.fasterxml.jackson.annotation.JsonValue;
import org.buddycloud.contracts.WireNames;

/**
 * The buddycloud-specific reason that accompanies a {@link Condition} (PROTOCOL.md §1.14a,
 * decision 10): XMPP errors carry it in {@code http://buddycloud.org/v1/errors}, problem+json bodies
 * in {@code appCondition}. Names are those of the XEP and the old servers.
 */
public enum AppCondition {
    CLOSED_NODE,
    PENDING_SUBSCRIPTION,
    NOT_SUBSCRIBED,
    INVALID_JID,
    INVALID_NODE_FORMAT,
    NODEID_REQUIRED,
    ITEM_REQUIRED,
    ENTRY_ELEMENT_REQUIRED,
    CONTENT_ELEMENT_REQUIRED,
    UNSUPPORTED_CONTENT_TYPE,
    PAYLOAD_TOO_BIG,
    PARENT_ITEM_NOT_FOUND,
    MAX_THREAD_DEPTH_EXCEEDED,
    MISSING_IN_REPLY_TO,
    MISSING_TARGET_ID,
    TARGETED_ITEM_NOT_FOUND,
    TARGET_OUTSIDE_THREAD,
    INVALID_RATING,
    RATING_OUT_OF_RANGE,
    INVALID_RATING_REQUEST,
    ITEM_ALREADY_RATED,
    MISSING_TARGET,
    CAN_ONLY_UNSUBSCRIBE_SELF,
    NODE_MUST_HAVE_OWNER,
    CAN_NOT_MODIFY_OWN_AFFILIATION,
    CAN_NOT_MODIFY_OWN_SUBSCRIPTION,
    CAN_NOT_DELETE_EPHEMERAL_NODE,
    IMMUTABLE_FIELD,
    INVALID_MAX_VALUE_PROVIDED,
    MAX_REQUIRED,
    SINCE_REQUIRED,
    INVALID_SINCE_VALUE_PROVIDED;

    /** The XMPP namespace our errors use for these conditions. */
    public static final String NAMESPACE = "http://buddycloud.org/v1/errors";

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }
}
