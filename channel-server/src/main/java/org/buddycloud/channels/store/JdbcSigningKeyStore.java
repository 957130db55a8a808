package org.buddycloud.channels.store;

import org.buddycloud.servicekit.jdbc.Sql;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.List;
import org.buddycloud.channels.token.SigningKey;
import org.buddycloud.channels.token.SigningKeyStore;

public final class JdbcSigningKeyStore implements SigningKeyStore {

    /** Arbitrary but fixed: the advisory lock that serialises key changes across replicas. */
    private static final long KEY_CHANGE_LOCK = 0x6275646479L;

    private final Sql sql;

    public JdbcSigningKeyStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public List<SigningKey> all() {
        return sql.list("SELECT kid, private_key, public_key, created_at, activates_at, retired_at FROM signing_keys ORDER BY created_at",
                rs -> {
                    try {
                        KeyFactory rsa = KeyFactory.getInstance("RSA");
                        return new SigningKey(rs.getString("kid"),
                                rsa.generatePrivate(new PKCS8EncodedKeySpec(rs.getBytes("private_key"))),
                                rsa.generatePublic(new X509EncodedKeySpec(rs.getBytes("public_key"))),
                                Sql.instant(rs, "created_at"), Sql.instant(rs, "activates_at"), Sql.instant(rs, "retired_at"));
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("unreadable signing key " + rs.getString("kid"), e);
                    }
                });
    }

    @Override
    public void insert(SigningKey key) {
        sql.update("INSERT INTO signing_keys (kid, private_key, public_key, created_at, activates_at) VALUES (?, ?, ?, ?, ?)",
                key.keyId(), key.privateKey().getEncoded(), key.publicKey().getEncoded(), key.createdAt(), key.activatesAt());
    }

    @Override
    public void retireAllBut(String keyId, Instant at) {
        sql.update("UPDATE signing_keys SET retired_at = ? WHERE kid <> ? AND (retired_at IS NULL OR retired_at > ?)", at, keyId, at);
    }

    @Override
    public void deleteRetiredBefore(Instant cutoff) {
        sql.update("DELETE FROM signing_keys WHERE retired_at < ?", cutoff);
    }

    @Override
    public void lockForChange() {
        sql.one("SELECT pg_advisory_xact_lock(?)", rs -> Boolean.TRUE, KEY_CHANGE_LOCK);
    }
}
