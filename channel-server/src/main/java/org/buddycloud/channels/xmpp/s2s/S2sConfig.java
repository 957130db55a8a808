package org.buddycloud.channels.xmpp.s2s;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Server-to-server XMPP (RFC 6120): how this domain talks to other domains' servers. */
@ConfigMapping(prefix = "buddycloud.federation")
public interface S2sConfig {

    /** Off by default: a server that federates must have a name other servers can resolve and reach. */
    @WithDefault("false")
    boolean enabled();

    @WithDefault("0.0.0.0")
    String host();

    @WithDefault("5269")
    int port();

    /**
     * Where a domain's server is, bypassing DNS (tests, closed networks): {@code routes."capulet.lit"=10.0.0.7:5269}.
     * A route serves its subdomains too ({@code channels.capulet.lit}) unless they have their own.
     */
    Map<String, String> routes();

    Dns dns();

    /** Streams must be encrypted (STARTTLS) both ways before anything is believed or sent. */
    @WithDefault("true")
    boolean tlsRequired();

    /**
     * A PKCS#12 (or JKS) store of the certificates that vouch for other servers (XEP-0178, SASL EXTERNAL); read again
     * when the file changes. Unset: the JDK's certificate authorities. A server whose certificate is not trusted, or
     * does not name its domain, proves itself by dialback instead (unless dialback is off).
     */
    Optional<String> trustStore();

    Optional<String> trustStorePassword();

    /** Dialback keys are made with this; when unset one is generated once and kept in the database for every replica. */
    Optional<String> dialbackSecret();

    /** Connecting, STARTTLS and dialback together must not take longer. */
    @WithDefault("30s")
    Duration connectTimeout();

    /** A stream that carried nothing this long is closed (it is opened again when needed). */
    @WithDefault("10m")
    Duration idleTimeout();

    /** Larger stanzas end the stream with policy-violation (Prosody's s2s default). */
    @WithDefault("524288")
    int maxStanzaBytes();

    @WithDefault("32")
    int maxDepth();

    /** Bytes waiting to be written to one remote server; a server that reads slower is disconnected. */
    @WithDefault("8388608")
    int maxOutboundBytes();

    /** Stanzas held for a domain while its stream is being set up; beyond them the sender hears resource-constraint. */
    @WithDefault("1000")
    int maxWaitingStanzas();

    /** Dialback verifications one incoming stream may have outstanding: a peer cannot make us open streams without end. */
    @WithDefault("10")
    int maxPendingVerifications();

    /** How long a request to another domain's channel service waits for its answer. */
    @WithDefault("20s")
    Duration requestTimeout();

    Queue queue();

    /** What other servers must get even when they are away now: notifications, our users' writes. */
    interface Queue {
        /** The first retry after a server could not be reached; doubled each time after. */
        @WithDefault("1s")
        Duration firstRetry();

        /** The longest wait between retries. */
        @WithDefault("2m")
        Duration lastRetry();

        /**
         * Stanzas older than this are dropped; the server is told it missed something ({@code you-missed-something})
         * and catches up by reading.
         */
        @WithDefault("7d")
        Duration maxAge();
    }

    interface Dns {
        /** SRV look-ups of {@code _xmpp-server._tcp.<domain>}; off, only the routes are known. */
        @WithDefault("true")
        boolean enabled();

        /** A DNS server as {@code host:port} instead of the system's. */
        Optional<String> server();

        @WithDefault("5s")
        Duration timeout();
    }
}
