package org.buddycloud.friends;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The friend finder's settings ({@code buddycloud.friends.*}); README.md lists them. */
@ConfigMapping(prefix = "buddycloud.friends")
public interface FriendsConfig {

    /**
     * Base64 of at least 32 random bytes: the key identifiers are sealed and fingerprinted with. Kept out of the
     * database (a Secret, or {@code ./buddycloud}'s data folder); changing it makes every claim unreadable.
     */
    String identifierKey();

    Pepper pepper();

    Limits limits();

    Legacy legacy();

    Sms sms();

    Xmpp xmpp();

    interface Pepper {
        /** How long a pepper is current: clients fetch {@code GET /hash_details} again after it turns. */
        @WithDefault("7d")
        Duration rotation();

        /** How long the previous pepper is still taken after it turned, for clients that hashed just before. */
        @WithDefault("1d")
        Duration grace();
    }

    interface Limits {
        /** Hashes one lookup may carry. */
        @WithDefault("1000")
        int hashesPerRequest();

        /** Hashes one user may look up per day (UTC). */
        @WithDefault("5000")
        int hashesPerDay();

        /** Verification codes one account may have sent per day (mail and SMS cost, and annoy). */
        @WithDefault("10")
        int codesPerAccountPerDay();

        /** Codes one identifier may be sent per hour, whoever asks. */
        @WithDefault("3")
        int codesPerIdentifierPerHour();

        /** Wrong codes before a code is spent. */
        @WithDefault("5")
        int codeAttempts();

        @WithDefault("15m")
        Duration codeLifetime();
    }

    /** PROTOCOL.md §5's {@code POST /match_contacts} with plain SHA-256: off unless an operator turns it on. */
    interface Legacy {
        @WithDefault("false")
        boolean enabled();
    }

    /** An SMS provider behind an HTTP interface: {@code POST url} with {@code {to, from, text}} and a bearer token. */
    interface Sms {
        Optional<URI> url();

        Optional<String> token();

        @WithDefault("Buddycloud")
        String from();
    }

    /** {@code friends.<domain>} as a XEP-0114 component of the channel server; off without a secret. */
    interface Xmpp {
        @WithDefault("localhost")
        String host();

        @WithDefault("5347")
        int port();

        @WithDefault("friends.${buddycloud.domain:localhost}")
        String domain();

        Optional<String> secret();
    }
}
