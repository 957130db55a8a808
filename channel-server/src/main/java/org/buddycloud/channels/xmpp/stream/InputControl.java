package org.buddycloud.channels.xmpp.stream;

/** Reading from a connection can be paused and resumed: what {@link InboundBudget} needs of it. */
public interface InputControl {

    /** Stops reading until {@link #resumeInput()}; callable from any thread, applied in call order. */
    void pauseInput();

    void resumeInput();
}
