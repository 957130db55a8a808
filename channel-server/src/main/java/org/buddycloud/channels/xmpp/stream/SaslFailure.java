package org.buddycloud.channels.xmpp.stream;

/** A failed SASL exchange: the RFC 6120 §6.5 condition ({@code not-authorized}, {@code malformed-request}, …) and a text. */
final class SaslFailure extends Exception {

    private final String condition;

    SaslFailure(String condition, String text) {
        super(text, null, false, false);
        this.condition = condition;
    }

    String condition() {
        return condition;
    }
}
