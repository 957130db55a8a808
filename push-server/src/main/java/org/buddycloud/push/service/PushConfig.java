package org.buddycloud.push.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The push server's settings ({@code buddycloud.push.*}); README.md's push section explains them. */
@ConfigMapping(prefix = "buddycloud.push")
public interface PushConfig {

    /** Where users reach this push server from a mail (its confirm and unsubscribe links). */
    @WithDefault("http://localhost:8083")
    URI publicUrl();

    Fcm fcm();

    @WithName("web-push")
    WebPush webPush();

    Mail mail();

    Delivery delivery();

    Xmpp xmpp();

    interface Fcm {
        /** A Firebase service account's JSON key file; without it FCM is "not configured" and the rest works. */
        Optional<Path> credentials();

        /** The Firebase project; the service account's own when not set. */
        Optional<String> projectId();

        /**
         * Where FCM's HTTP v1 API is reached instead of {@code https://fcm.googleapis.com} (a proxy, or a test's
         * stand-in for Google at the HTTP boundary).
         */
        Optional<URI> endpoint();
    }

    interface WebPush {
        /** The VAPID {@code sub} claim (RFC 8292 §2.1): a mailto: or https: contact for the push services. */
        @WithDefault("mailto:admin@localhost")
        String subject();

        /** How long a push service keeps a message for an offline browser. */
        @WithDefault("24h")
        Duration ttl();

        /** Tests only: endpoints on this machine (and plain http there) are accepted. Never in production (SSRF). */
        @WithDefault("false")
        boolean allowLoopback();
    }

    interface Mail {
        /** How many notices a digest lists before "and N more". */
        @WithDefault("50")
        int digestMaxItems();
    }

    interface Xmpp {
        /**
         * This push server's XMPP address as an XEP-0357 app server: a registration that names it, with the id of a
         * device registered at {@code POST /devices} as its node, wakes that device. Registrations naming any other app
         * server need federation, which is not there yet: they are counted as undeliverable.
         */
        @WithDefault("push.${buddycloud.domain}")
        String address();
    }

    interface Delivery {
        /** Messages being handed to providers at once, per replica. */
        @WithDefault("16")
        int concurrency();

        /** The first retry's delay; each next one doubles, up to {@link #longestRetry()}. */
        @WithDefault("5s")
        Duration firstRetry();

        @WithDefault("1h")
        Duration longestRetry();

        /** Attempts before a delivery is given up and goes to the dead-letter topic. */
        @WithDefault("8")
        int maxAttempts();

        /** How long a sender holds a claimed delivery before another replica may take it. */
        @WithDefault("2m")
        Duration lease();

        /** How long one provider request may take. */
        @WithDefault("10s")
        Duration timeout();
    }
}
