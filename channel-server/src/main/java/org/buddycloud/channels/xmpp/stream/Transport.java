package org.buddycloud.channels.xmpp.stream;

/** How a session's bytes travel: TCP (with STARTTLS) or WebSocket frames. */
interface Transport extends InputControl {

    void send(String xml);

    /** False when the client has not read what was sent to it and the outbound queue is full. */
    boolean writable();

    void close();

    boolean encrypted();

    /** Whether STARTTLS can be offered on this transport. */
    boolean tlsAvailable();

    /** Sends {@code proceed}, then switches the connection to TLS (the next bytes are the client's TLS handshake). */
    void startTls(String proceed);

    String remoteAddress();

    /** WebSocket framing (RFC 7395) opens streams with {@code <open/>} instead of {@code <stream:stream>}. */
    boolean framed();
}
