package org.buddycloud.contracts.problem;

/**
 * Why a request was refused, named after the XMPP stanza error condition where one fits
 * (PROTOCOL.md decisions 9 and 10), with the HTTP status REST clients see for it. Every service
 * maps its refusals through this one table.
 */
public enum Condition {
    BAD_REQUEST("bad-request", 400, "Bad request"),
    NOT_AUTHORIZED("not-authorized", 401, "Not authorized"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    ITEM_NOT_FOUND("item-not-found", 404, "Not found"),
    NOT_ALLOWED("not-allowed", 405, "Not allowed"),
    NOT_ACCEPTABLE_FORMAT("not-acceptable-format", 406, "No acceptable representation"),
    CONFLICT("conflict", 409, "Conflict"),
    /** The request cannot apply to this item (a preview of a file that is not an image). */
    PRECONDITION_FAILED("feature-not-implemented", 412, "Precondition failed"),
    PAYLOAD_TOO_BIG("payload-too-big", 413, "Payload too big"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    NOT_ACCEPTABLE("not-acceptable", 422, "Not acceptable"),
    POLICY_VIOLATION("policy-violation", 429, "Too many requests"),
    INTERNAL_SERVER_ERROR("internal-server-error", 500, "Internal server error"),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service unavailable");

    private final String wireName;
    private final int httpStatus;
    private final String title;

    Condition(String wireName, int httpStatus, String title) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
        this.title = title;
    }

    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String title() {
        return title;
    }

    /** The condition REST clients get for an HTTP status produced outside our code (framework, proxy). */
    public static Condition forHttpStatus(int status) {
        for (Condition condition : values()) {
            if (condition.httpStatus == status) {
                return condition;
            }
        }
        return status >= 500 ? INTERNAL_SERVER_ERROR : BAD_REQUEST;
    }

    public Problem toProblem(String detail) {
        return Problem.of(httpStatus, wireName, title, detail);
    }
}
