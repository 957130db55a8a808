package org.buddycloud.channels.xmpp.stream;

/**
 * Back-pressure on what one client (or component) sends. While its unhandled input is over budget the connection
 * is not read, so a client that floods waits on its own TCP window instead of filling the server's
 * memory and the shared workers' queue; reading resumes once half of it has been handled.
 */
public final class InboundBudget {

    private final InputControl input;
    private final long maxBytes;
    private final int maxChunks;
    private long bytes;
    private int chunks;
    private boolean paused;

    public InboundBudget(InputControl input, long maxBytes, int maxChunks) {
        this.input = input;
        this.maxBytes = maxBytes;
        this.maxChunks = maxChunks;
    }

    /** Input of {@code size} bytes was queued for handling. */
    public synchronized void queued(int size) {
        bytes += size;
        chunks++;
        if (!paused && (bytes > maxBytes || chunks > maxChunks)) {
            paused = true;
            input.pauseInput();
        }
    }

    /** Queued input of {@code size} bytes has been handled. */
    public synchronized void handled(int size) {
        bytes -= size;
        chunks--;
        if (paused && bytes <= maxBytes / 2 && chunks <= maxChunks / 2) {
            paused = false;
            input.resumeInput();
        }
    }
}
