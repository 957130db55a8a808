package org.buddycloud.friends.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.friends.domain.Claim;
import org.buddycloud.friends.domain.Medium;
import org.buddycloud.servicekit.jdbc.Sql;

/** Claims, their pending codes, and the hashes lookups match ({@code friend_claims}, {@code friend_hashes}). */
@ApplicationScoped
public class ClaimStore {

    private static final String COLUMNS = "id, jid, medium, masked, discoverable, verified_at, created_at";

    private final Sql sql;
    private final DataSource dataSource;

    ClaimStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
        this.dataSource = dataSource;
    }

    /** A claim with what verifying it needs. */
    public record Pending(Claim claim, byte[] sealed, String fingerprint, String codeHash, Instant codeExpires, int failedCodes) {
    }

    public Optional<Claim> find(Jid jid, String fingerprint) {
        return sql.one("SELECT " + COLUMNS + " FROM friend_claims WHERE jid = ? AND fingerprint = ?", ClaimStore::claim, jid, fingerprint);
    }

    public Optional<Pending> pending(String id) {
        return sql.one("SELECT " + COLUMNS + ", sealed, fingerprint, code_hash, code_expires, failed_codes FROM friend_claims WHERE id = ?",
                rs -> new Pending(claim(rs), rs.getBytes("sealed"), rs.getString("fingerprint"), rs.getString("code_hash"),
                        Sql.instant(rs, "code_expires"), rs.getInt("failed_codes")), id);
    }

    public List<Claim> of(Jid jid) {
        return sql.list("SELECT " + COLUMNS + " FROM friend_claims WHERE jid = ? ORDER BY created_at", ClaimStore::claim, jid);
    }

    /** A new claim, or a fresh code for one not yet verified. */
    public void savePending(String id, Jid jid, Medium medium, byte[] sealed, String fingerprint, String masked, boolean discoverable,
                            String codeHash, Instant codeExpires, Instant now) {
        sql.update("INSERT INTO friend_claims (id, jid, medium, sealed, fingerprint, masked, discoverable, code_hash, code_expires, "
                + "failed_codes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (id) DO UPDATE SET "
                + "discoverable = excluded.discoverable, code_hash = excluded.code_hash, code_expires = excluded.code_expires, "
                + "failed_codes = 0", id, jid, medium.wireName(), sealed, fingerprint, masked, discoverable, codeHash, codeExpires, now);
    }

    public void failedCode(String id) {
        sql.update("UPDATE friend_claims SET failed_codes = failed_codes + 1 WHERE id = ?", id);
    }

    /** Verified: the code is spent. Whoever held the identifier before loses it (its claim goes, with its hashes). */
    public void verified(String id, String fingerprint, Instant now) {
        sql.update("DELETE FROM friend_claims WHERE fingerprint = ? AND id <> ? AND verified_at IS NOT NULL", fingerprint, id);
        sql.update("UPDATE friend_claims SET verified_at = ?, code_hash = NULL, code_expires = NULL, failed_codes = 0 WHERE id = ?", now, id);
    }

    public void discoverable(String id, boolean discoverable) {
        sql.update("UPDATE friend_claims SET discoverable = ? WHERE id = ?", discoverable, id);
    }

    public boolean remove(Jid jid, String id) {
        return sql.update("DELETE FROM friend_claims WHERE jid = ? AND id = ?", jid, id) > 0;
    }

    public int removeAll(Jid jid) {
        return sql.update("DELETE FROM friend_claims WHERE jid = ?", jid);
    }

    // ---- the hashes lookups match

    public void index(String claimId, Map<Integer, String> hashByPepper) {
        hashByPepper.forEach((pepper, hash) -> sql.update("INSERT INTO friend_hashes (pepper_id, hash, claim_id) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING", pepper, hash, claimId));
    }

    public void unindex(String claimId) {
        sql.update("DELETE FROM friend_hashes WHERE claim_id = ?", claimId);
    }

    /** The holders of those of {@code hashes} that are hashes, under {@code pepperId}, of verified, discoverable claims. */
    public Map<String, Jid> matches(int pepperId, List<String> hashes) {
        Map<String, Jid> found = new java.util.LinkedHashMap<>();
        sql.list("SELECT h.hash, c.jid FROM friend_hashes h JOIN friend_claims c ON c.id = h.claim_id "
                        + "WHERE h.pepper_id = ? AND h.hash = ANY(?) AND c.verified_at IS NOT NULL AND c.discoverable",
                rs -> found.put(rs.getString(1), Jid.parse(rs.getString(2))), pepperId, hashes.toArray(String[]::new));
        return found;
    }

    /** Every verified, discoverable claim's id and sealed identifier, a batch at a time (the re-hashing of a new pepper). */
    public void forEachFindable(Consumer<List<Map.Entry<String, byte[]>>> batch) {
        String after = "";
        while (true) {
            List<Map.Entry<String, byte[]>> rows = sql.list("SELECT id, sealed FROM friend_claims WHERE verified_at IS NOT NULL "
                    + "AND discoverable AND id > ? ORDER BY id LIMIT 1000", rs -> Map.entry(rs.getString(1), rs.getBytes(2)), after);
            if (rows.isEmpty()) {
                return;
            }
            batch.accept(rows);
            after = rows.get(rows.size() - 1).getKey();
        }
    }

    /** Many hash rows in one round trip. */
    public void indexAll(int pepperId, Map<String, String> hashByClaim) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO friend_hashes (pepper_id, hash, claim_id) VALUES (?, ?, ?) "
                     + "ON CONFLICT DO NOTHING")) {
            for (Map.Entry<String, String> e : hashByClaim.entrySet()) {
                s.setInt(1, pepperId);
                s.setString(2, e.getValue());
                s.setString(3, e.getKey());
                s.addBatch();
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot index hashes under pepper " + pepperId, e);
        }
    }

    /** Drops the hash rows made under these peppers (a range of the primary key each: nothing is scanned). */
    public int dropHashesOf(List<Integer> peppers) {
        int dropped = 0;
        for (int pepper : peppers) {
            dropped += sql.update("DELETE FROM friend_hashes WHERE pepper_id = ?", pepper);
        }
        return dropped;
    }

    // ---- allowances

    public void codeSent(Jid jid, String fingerprint, Instant at) {
        sql.update("INSERT INTO friend_codes_sent (jid, fingerprint, sent_at) VALUES (?, ?, ?)", jid, fingerprint, at);
    }

    /** The times codes were sent to the account's claims since {@code since}, oldest first. */
    public List<Instant> codesSentBy(Jid jid, Instant since) {
        return sql.list("SELECT sent_at FROM friend_codes_sent WHERE jid = ? AND sent_at > ? ORDER BY sent_at",
                rs -> Sql.instant(rs, "sent_at"), jid, since);
    }

    public List<Instant> codesSentTo(String fingerprint, Instant since) {
        return sql.list("SELECT sent_at FROM friend_codes_sent WHERE fingerprint = ? AND sent_at > ? ORDER BY sent_at",
                rs -> Sql.instant(rs, "sent_at"), fingerprint, since);
    }

    public int forgetCodesSentBefore(Instant before) {
        return sql.update("DELETE FROM friend_codes_sent WHERE sent_at < ?", before);
    }

    /** Adds {@code hashes} to the user's count of the day if that stays within {@code allowance}; false when it would not. */
    public boolean countLookups(Jid jid, java.time.LocalDate day, int hashes, int allowance) {
        return sql.one("INSERT INTO friend_lookups AS l (jid, day, hashes) VALUES (?, ?, ?) ON CONFLICT (jid, day) "
                + "DO UPDATE SET hashes = l.hashes + excluded.hashes WHERE l.hashes + excluded.hashes <= ? RETURNING hashes",
                rs -> rs.getInt(1), jid, java.sql.Date.valueOf(day), hashes, allowance).isPresent();
    }

    public int forgetLookupsBefore(java.time.LocalDate day) {
        return sql.update("DELETE FROM friend_lookups WHERE day < ?", java.sql.Date.valueOf(day));
    }

    /** A deleted account's lookups are forgotten; the codes sent for it stay as codes sent to their identifiers, by nobody. */
    public void forgetAccountInCounts(Jid jid) {
        sql.update("DELETE FROM friend_lookups WHERE jid = ?", jid);
        sql.update("UPDATE friend_codes_sent SET jid = NULL WHERE jid = ?", jid);
    }

    private static Claim claim(ResultSet rs) throws SQLException {
        return new Claim(rs.getString("id"), Jid.parse(rs.getString("jid")), Medium.of(rs.getString("medium")), rs.getString("masked"),
                rs.getBoolean("discoverable"), Sql.instant(rs, "verified_at"), Sql.instant(rs, "created_at"));
    }
}
