package org.buddycloud.push.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.buddycloud.servicekit.jdbc.Sql;

/**
 * The {@code push_vapid_keys} row: the server's VAPID key pair, created by whichever replica starts first and
 * kept, since every Web Push subscription is bound to its public key.
 */
@ApplicationScoped
public class VapidKeyStore {

    /** The pair as stored: X.509 public and PKCS#8 private key, base64. */
    public record StoredKeys(String publicKey, String privateKey) {
    }

    private final Sql sql;

    VapidKeyStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** The kept pair; {@code created} is stored first if there is none yet (another replica's may win: it is returned). */
    public StoredKeys keep(StoredKeys created, Instant now) {
        sql.update("INSERT INTO push_vapid_keys (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                created.publicKey(), created.privateKey(), now);
        return stored().orElseThrow();
    }

    public Optional<StoredKeys> stored() {
        return sql.one("SELECT public_key, private_key FROM push_vapid_keys WHERE id = 1",
                rs -> new StoredKeys(rs.getString(1), rs.getString(2)));
    }
}
