package org.buddycloud.channels.xmpp.stream;

/**
 * Back-pressure on what one client sends. While its unhandled input is over budget the connection
 * is not read, so a client that floods waits on its own TCP window instead of filling the server's
 * memory and the shared workers' queue; reading resumes once half of it has been handled.
 */
final class InboundBudget {

    private final Transport transport;
    private final long maxBytes;
    private final int maxChunks;
    private long bytes;
    private int chunks;
    private boolean paused;

    InboundBudget(Transport transport, long maxBytes, int maxChunks) {
        this.transport = transport;
        this.maxBytes = maxBytes;
        this.maxChunks = maxChunks;
    }

    /** Input of {@code size} bytes was queued for handling. */
    synchronized void queued(int size) {
        bytes += size;
        chunks++;
        if (!paused && (bytes > maxBytes || chunks > maxChunks)) {
            paused = true;
            transport.pauseInput();
        }
    }

    /** Queued input of {@code size} bytes has been handled. */
    synchronized void handled(int size) {
        bytes -= size;
        chunks--;
        if (paused && bytes <= maxBytes / 2 && chunks <= maxChunks / 2) {
            paused = false;
            transport.resumeInput();
        }
    }
}
