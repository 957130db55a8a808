package org.buddycloud.servicekit.auth;

import io.quarkus.arc.DefaultBean;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.buddycloud.contracts.auth.JwksKeys;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.TokenVerifier;
import org.buddycloud.contracts.auth.VerificationKeys;

/** Wires the contracts' {@link TokenVerifier} from configuration; the channel server supplies its own keys. */
@ApplicationScoped
public class TokenVerification {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    RevocationList revocations(AuthConfig config) {
        return new RevocationList(config.revocationRetention());
    }

    @Produces
    @Singleton
    @DefaultBean
    VerificationKeys channelServerKeys(AuthConfig config, Clock clock) {
        return new JwksKeys(config.jwksUrl(), config.jwksMinRefreshInterval(), config.jwksMaxAge(), clock);
    }

    @Produces
    @Singleton
    TokenVerifier verifier(VerificationKeys keys, RevocationList revocations, AuthConfig config, Clock clock) {
        return new TokenVerifier(keys, revocations, new TokenVerifier.Settings(config.issuer(), config.audience(),
                config.clockSkew(), config.verifiedTokenCacheSize()), clock);
    }

    /** Revocations are only needed while the tokens they revoke could be unexpired. */
    @ApplicationScoped
    static class Purge {
        private final RevocationList revocations;
        private final Clock clock;

        Purge(RevocationList revocations, Clock clock) {
            this.revocations = revocations;
            this.clock = clock;
        }

        @Scheduled(every = "1m", delayed = "1m")
        void forgetExpiredRevocations() {
            revocations.purge(clock.instant());
        }
    }
}
