package org.buddycloud.channels.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import org.buddycloud.servicekit.jdbc.Sql;
import org.buddycloud.channels.token.SigningKey;
import org.buddycloud.channels.token.SigningKeyRing;
import org.jboss.logging.Logger;

/** Keeps a signing key ready, rotates it on schedule and clears spent refresh tokens. */
@ApplicationScoped
public class SigningKeyMaintenance {

    private static final Logger LOG = Logger.getLogger(SigningKeyMaintenance.class);

    private final SigningKeyRing keys;
    private final Sql sql;
    private final Clock clock;

    SigningKeyMaintenance(SigningKeyRing keys, Sql sql, Clock clock) {
        this.keys = keys;
        this.sql = sql;
        this.clock = clock;
    }

    @Transactional
    void onStart(@Observes StartupEvent event) {
        keys.maintain();
        LOG.infof("signing with key %s", keys.active().keyId());
    }

    @Scheduled(every = "${buddycloud.tokens.key-reload-interval:1m}", delayed = "10s")
    @Transactional
    public void maintain() {
        keys.maintain();
    }

    /** Starts signing with a new key now; tokens signed with the previous key stay valid. */
    @Transactional
    public SigningKey rotate() {
        SigningKey key = keys.rotate();
        LOG.infof("rotated the signing key; now signing with %s", key.keyId());
        return key;
    }

    @Scheduled(every = "1h", delayed = "1m")
    @Transactional
    void forgetExpiredRefreshTokens() {
        sql.update("DELETE FROM refresh_tokens WHERE expires_at < ?", clock.instant());
        sql.update("DELETE FROM password_resets WHERE expires_at < ?", clock.instant());
    }
}
