package org.buddycloud.channels.xmpp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The XMPP endpoints of the channel server. */
@ConfigMapping(prefix = "buddycloud.xmpp")
public interface XmppConfig {

    /** The client endpoint (TCP with STARTTLS, and WebSocket on the HTTP port). */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("0.0.0.0")
    String host();

    @WithDefault("5222")
    int port();

    /** The channel service's JID; {@code buddycloud.xmpp.component.name}, else {@code channels.<buddycloud.domain>}, when unset. */
    Optional<String> channelService();

    /** XEP-0077 in-band registration. */
    @WithDefault("true")
    boolean registrationEnabled();

    /** Larger stanzas end the stream with policy-violation. */
    @WithDefault("262144")
    int maxStanzaBytes();

    @WithDefault("32")
    int maxDepth();

    /** A connection that sends nothing (not even a whitespace ping) this long is closed. */
    @WithDefault("5m")
    Duration idleTimeout();

    /** Bytes waiting to be written to one client; a client that reads slower is disconnected. */
    @WithDefault("1048576")
    int maxOutboundBytes();

    /** Chat messages kept for a user who is offline. */
    @WithDefault("500")
    int maxOfflineMessages();

    /** Threads that handle stanzas (each session's stanzas run in order on them). */
    @WithDefault("32")
    int workerThreads();

    Tls tls();

    Archive archive();

    WebSocket websocket();

    StreamManagement streamManagement();

    ClientState clientState();

    Component component();

    Components components();

    Roster roster();

    interface Tls {
        /** A PKCS#12 key store with the server's key and certificate; generated (self-signed) when unset. */
        Optional<String> keyStore();

        Optional<String> keyStorePassword();

        /** Where the self-signed key store of the embedded default is created on first start. */
        @WithDefault("xmpp-tls.p12")
        String generatedKeyStore();
    }

    /** The users' archives of one-to-one messages (XEP-0313). */
    interface Archive {
        /** Messages in a page of a query that does not say (RSM {@code <max/>}). */
        @WithDefault("50")
        int defaultPageSize();

        /** The most messages in one page, whatever the query asks. */
        @WithDefault("100")
        int maxPageSize();

        /** What is archived for users who did not set their preferences: {@code always}, {@code never} or {@code roster}. */
        @WithDefault("always")
        String defaultMode();
    }

    /** XEP-0198 stream management: acknowledgements and resumption of client sessions. */
    interface StreamManagement {
        /**
         * How long a resumable session whose connection dropped stays bound (its stanzas queued, its presence kept) for
         * the client to resume it; a client may ask for less with {@code <enable max=…/>}.
         */
        @WithDefault("300s")
        Duration resumptionTimeout();

        /**
         * Stanzas sent and not yet acknowledged that one session may have. Beyond them a connected client gets the
         * stream error policy-violation (it does not acknowledge what it reads), a hibernating session ends at once;
         * either way its unacknowledged messages go to the user's other sessions or offline storage.
         */
        @WithDefault("1000")
        int maxUnacked();

        /** Bytes of those stanzas (written XML), the same bound by size. */
        @WithDefault("2097152")
        int maxUnackedBytes();

        /** The client is asked to acknowledge ({@code <r/>}) after this many stanzas since the last request... */
        @WithDefault("5")
        int requestAckAfter();

        /** ...or once a stanza has waited this long for its acknowledgement. */
        @WithDefault("10s")
        Duration requestAckDelay();
    }

    /** XEP-0352 client state indication. */
    interface ClientState {
        /**
         * Presence and chat states held back for an inactive client; with more the held ones are sent at once (the
         * client does not save anything then, but the server's memory stays bounded).
         */
        @WithDefault("100")
        int maxHeld();
    }

    interface WebSocket {
        /** XMPP over WebSocket (RFC 7395) on the HTTP port. */
        @WithDefault("/xmpp-websocket")
        String path();
    }

    /** The channel service as an external component (XEP-0114) of another XMPP server. */
    interface Component {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("5347")
        int port();

        Optional<String> secret();

        /**
         * The component's JID, which is the channel service's: set this or {@code buddycloud.xmpp.channel-service}
         * (or both, to the same address); {@code channels.<buddycloud.domain>} when neither is set.
         */
        Optional<String> name();

        /**
         * Bytes waiting to be written to the XMPP server. Beyond it the channel service's stanzas are
         * dropped (logged, counted in {@code buddycloud.xmpp.component.dropped}) until the server reads again,
         * so that a stalled server cannot exhaust our memory.
         */
        @WithDefault("8388608")
        int maxOutboundBytes();
    }

    /**
     * Our own services joining this server's domain as external components (XEP-0114), e.g. the
     * search service as {@code directory.<domain>}: the listener runs only when the server runs
     * ({@code buddycloud.xmpp.enabled}) and at least one component is accepted.
     */
    interface Components {
        /** Loopback by default: components are our own services beside the server, not the internet. */
        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("5347")
        int port();

        /**
         * The components let in, by name (their domain): {@code accept."directory.localhost".secret=...}, or a name
         * without a dot for a subdomain of this server's: {@code accept.directory.secret=...}.
         */
        Map<String, Accepted> accept();

        interface Accepted {
            /** The handshake's shared secret. */
            String secret();
        }
    }

    /** Rosters and blocklists (RFC 6121, XEP-0191): bounds that keep one user's rows and every login's fan-out small. */
    interface Roster {
        @WithDefault("1000")
        int maxItems();

        @WithDefault("1000")
        int maxBlocked();
    }
}
