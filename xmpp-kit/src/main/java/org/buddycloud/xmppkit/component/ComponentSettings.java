package org.buddycloud.xmppkit.component;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom a component connects, and its limits. {@link #of} gives the defaults; the
 * {@code with...} methods change one aspect.
 *
 * @param host                 the XMPP server's component port is on this host
 * @param port                 its component port (5347 by convention)
 * @param domain               the component's address, e.g. {@code directory.example.org}
 * @param secret               the shared secret of the handshake; never logged
 * @param maxStanzaBytes       a larger stanza from the server ends the stream, or is skipped (see {@code skipOversizedStanzas})
 * @param maxDepth             elements nested deeper likewise
 * @param skipOversizedStanzas skip a stanza over a limit and tell the handler instead of ending the stream:
 *                             for a link that carries many users' stanzas, where one user must not break it
 * @param maxOutboundBytes     bytes waiting to be written; beyond it stanzas are dropped until the server reads again
 * @param firstRetry           the wait before the first reconnection, doubled after each failure ...
 * @param lastRetry            ... up to this
 * @param handshakeTimeout     a server that has not accepted the handshake by then is given up on (and retried)
 * @param keepAlive            whitespace is sent this often, so that idle links survive the server's idle timeout
 */
public record ComponentSettings(String host, int port, String domain, String secret, int maxStanzaBytes, int maxDepth,
                                boolean skipOversizedStanzas, int maxOutboundBytes, Duration firstRetry, Duration lastRetry,
                                Duration handshakeTimeout, Duration keepAlive) {

    public ComponentSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(domain, "domain");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the component " + domain + " needs a shared secret");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
        if (maxStanzaBytes <= 0 || maxDepth <= 0 || maxOutboundBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (firstRetry.isNegative() || firstRetry.isZero() || lastRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("retries need 0 < firstRetry <= lastRetry");
        }
    }

    /** The defaults: stanzas up to 256 KiB and 32 levels deep (as the channel server's clients), 8 MiB queued, retries 1 s to 30 s. */
    public static ComponentSettings of(String host, int port, String domain, String secret) {
        return new ComponentSettings(host, port, domain, secret, 262_144, 32, false, 8_388_608, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    public ComponentSettings withStanzaLimits(int maxBytes, int depth, boolean skipOversized) {
        return new ComponentSettings(host, port, domain, secret, maxBytes, depth, skipOversized, maxOutboundBytes, firstRetry,
                lastRetry, handshakeTimeout, keepAlive);
    }

    public ComponentSettings withMaxOutboundBytes(int bytes) {
        return new ComponentSettings(host, port, domain, secret, maxStanzaBytes, maxDepth, skipOversizedStanzas, bytes, firstRetry,
                lastRetry, handshakeTimeout, keepAlive);
    }

    public ComponentSettings withRetry(Duration first, Duration last) {
        return new ComponentSettings(host, port, domain, secret, maxStanzaBytes, maxDepth, skipOversizedStanzas, maxOutboundBytes,
                first, last, handshakeTimeout, keepAlive);
    }

    /** Without the secret, which must not reach a log. */
    @Override
    public String toString() {
        return "ComponentSettings[" + domain + " at " + host + ":" + port + "]";
    }
}
