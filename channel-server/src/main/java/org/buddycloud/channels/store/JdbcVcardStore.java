package org.buddycloud.channels.store;

import java.time.Clock;
import java.util.Optional;
import org.buddycloud.channels.profile.VcardStore;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;

public final class JdbcVcardStore implements VcardStore {

    private final Sql sql;
    private final Clock clock;

    public JdbcVcardStore(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public Optional<String> vcard(Jid owner) {
        return sql.one("SELECT vcard FROM vcards WHERE owner = ?", rs -> rs.getString(1), owner);
    }

    @Override
    public Optional<String> photoHash(Jid owner) {
        return sql.one("SELECT photo_hash FROM vcards WHERE owner = ? AND photo_hash IS NOT NULL", rs -> rs.getString(1), owner);
    }

    @Override
    public void save(Jid owner, String vcard, String photoHash) {
        sql.update("""
                INSERT INTO vcards (owner, vcard, photo_hash, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (owner) DO UPDATE SET vcard = excluded.vcard, photo_hash = excluded.photo_hash, updated_at = excluded.updated_at""",
                owner, vcard, photoHash, clock.instant());
    }
}
