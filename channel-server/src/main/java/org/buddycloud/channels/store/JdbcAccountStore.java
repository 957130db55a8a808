package org.buddycloud.channels.store;

import org.buddycloud.servicekit.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.buddycloud.channels.account.Account;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.account.ScramCredential;
import org.buddycloud.channels.account.ScramMechanism;
import org.buddycloud.contracts.jid.Jid;

public final class JdbcAccountStore implements AccountStore {

    private final Sql sql;

    public JdbcAccountStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean insert(Account account, List<ScramCredential> credentials) {
        boolean inserted = sql.insertUnique("INSERT INTO accounts (jid, email, created_at, token_generation) VALUES (?, ?, ?, ?)",
                account.jid(), account.email(), account.createdAt(), account.tokenGeneration());
        if (inserted) {
            credentials.forEach(credential -> insertCredential(account.jid(), credential));
        }
        return inserted;
    }

    @Override
    public Optional<Account> find(Jid jid) {
        return sql.one("SELECT jid, email, created_at, token_generation FROM accounts WHERE jid = ?", JdbcAccountStore::account, jid);
    }

    @Override
    public List<Account> page(Jid after, int limit) {
        return after == null
                ? sql.list("SELECT jid, email, created_at, token_generation FROM accounts ORDER BY jid LIMIT ?", JdbcAccountStore::account, limit)
                : sql.list("SELECT jid, email, created_at, token_generation FROM accounts WHERE jid > ? ORDER BY jid LIMIT ?",
                        JdbcAccountStore::account, after, limit);
    }

    @Override
    public Optional<ScramCredential> credential(Jid jid, ScramMechanism mechanism) {
        return sql.one("SELECT mechanism, salt, iterations, stored_key, server_key FROM scram_credentials WHERE jid = ? AND mechanism = ?",
                rs -> new ScramCredential(ScramMechanism.valueOf(rs.getString("mechanism")), rs.getBytes("salt"),
                        rs.getInt("iterations"), rs.getBytes("stored_key"), rs.getBytes("server_key")),
                jid, mechanism);
    }

    @Override
    public long nextTokenGeneration() {
        return sql.one("SELECT nextval('token_generation')", rs -> rs.getLong(1)).orElseThrow();
    }

    @Override
    public boolean replaceCredentials(Jid jid, List<ScramCredential> credentials, long tokenGeneration) {
        if (sql.update("UPDATE accounts SET token_generation = ? WHERE jid = ?", tokenGeneration, jid) == 0) {
            return false;
        }
        sql.update("DELETE FROM scram_credentials WHERE jid = ?", jid);
        credentials.forEach(credential -> insertCredential(jid, credential));
        // a reset mailed before this change must not undo it
        sql.update("UPDATE password_resets SET used_at = now() WHERE jid = ? AND used_at IS NULL", jid);
        return true;
    }

    @Override
    public boolean delete(Jid jid) {
        return sql.update("DELETE FROM accounts WHERE jid = ?", jid) > 0;
    }

    @Override
    public void saveResetToken(byte[] tokenHash, Jid jid, Instant expiresAt) {
        sql.update("DELETE FROM password_resets WHERE expires_at < now()");
        sql.update("INSERT INTO password_resets (token_hash, jid, expires_at) VALUES (?, ?, ?)", tokenHash, jid, expiresAt);
    }

    @Override
    public Optional<Jid> useResetToken(byte[] tokenHash, Instant now) {
        return sql.one("""
                UPDATE password_resets SET used_at = ?
                 WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
                RETURNING jid""", rs -> Jid.parse(rs.getString("jid")), now, tokenHash, now);
    }

    private void insertCredential(Jid jid, ScramCredential c) {
        sql.update("INSERT INTO scram_credentials (jid, mechanism, salt, iterations, stored_key, server_key) VALUES (?, ?, ?, ?, ?, ?)",
                jid, c.mechanism(), c.salt(), c.iterations(), c.storedKey(), c.serverKey());
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(Jid.parse(rs.getString("jid")), rs.getString("email"), Sql.instant(rs, "created_at"),
                rs.getLong("token_generation"));
    }
}
