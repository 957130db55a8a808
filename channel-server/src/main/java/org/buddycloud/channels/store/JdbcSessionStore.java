package org.buddycloud.channels.store;

import org.buddycloud.servicekit.jdbc.Sql;
import java.time.Instant;
import java.util.Optional;
import org.buddycloud.channels.token.RefreshToken;
import org.buddycloud.channels.token.SessionStore;
import org.buddycloud.contracts.jid.Jid;

public final class JdbcSessionStore implements SessionStore {

    private final Sql sql;

    public JdbcSessionStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void insert(RefreshToken t) {
        sql.update("""
                INSERT INTO refresh_tokens (token_hash, session_id, jid, token_generation, issued_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)""", t.hash(), t.sessionId(), t.jid(), t.generation(), t.issuedAt(), t.expiresAt());
    }

    @Override
    public Optional<RefreshToken> find(byte[] hash) {
        return sql.one("""
                SELECT token_hash, session_id, jid, token_generation, issued_at, expires_at, used_at, revoked_at
                  FROM refresh_tokens WHERE token_hash = ?""",
                rs -> new RefreshToken(rs.getBytes("token_hash"), rs.getString("session_id"), Jid.parse(rs.getString("jid")),
                        rs.getLong("token_generation"), Sql.instant(rs, "issued_at"), Sql.instant(rs, "expires_at"),
                        Sql.instant(rs, "used_at"), Sql.instant(rs, "revoked_at")),
                hash);
    }

    @Override
    public void lockSession(String sessionId) {
        // a transaction-scoped advisory lock: released at commit or rollback, nothing to clean up
        sql.one("SELECT pg_advisory_xact_lock(hashtextextended('refresh-session ' || ?, 0)) IS NULL",
                rs -> rs.getBoolean(1), sessionId);
    }

    @Override
    public void markUsed(byte[] hash, Instant at) {
        sql.update("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?", at, hash);
    }

    @Override
    public void revokeSession(String sessionId, Instant at) {
        sql.update("UPDATE refresh_tokens SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL", at, sessionId);
    }

    @Override
    public int deleteExpired(Instant now) {
        return sql.update("DELETE FROM refresh_tokens WHERE expires_at < ?", now);
    }
}
