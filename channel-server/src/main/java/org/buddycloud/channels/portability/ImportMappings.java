package org.buddycloud.channels.portability;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;

/** What each import made of each thing of an archive, per importing account: what is mapped is not made again. */
@ApplicationScoped
public class ImportMappings {

    static final String CHANNEL = "channel";
    static final String POST = "post";
    static final String MEDIA = "media";
    static final String MOVED = "moved";
    /** Our channel moved to another domain (its new server told us): source our channel, target the new one. */
    static final String MOVED_AWAY = "moved-away";
    /** The old server of a channel imported here was told of the move: source the old channel, target ours. */
    static final String MOVE_TOLD = "move-told";
    static final String SETTING = "setting";

    private final Sql sql;

    ImportMappings(Sql sql) {
        this.sql = sql;
    }

    public Optional<String> target(Jid account, String kind, String source) {
        return sql.one("SELECT target FROM import_mappings WHERE account = ? AND kind = ? AND source = ?",
                rs -> rs.getString(1), account, kind, source);
    }

    /** Which of {@code sources} are mapped already (one query for a batch instead of one each). */
    public java.util.Set<String> known(Jid account, String kind, java.util.Collection<String> sources) {
        return new java.util.HashSet<>(sql.list("SELECT source FROM import_mappings WHERE account = ? AND kind = ? AND source = ANY(?)",
                rs -> rs.getString(1), account, kind, sources.toArray(String[]::new)));
    }

    /** Records the mapping; false when one was there already (a concurrent import of the same archive made it). */
    public boolean record(Jid account, String kind, String source, String target) {
        return sql.update("INSERT INTO import_mappings (account, kind, source, target) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                account, kind, source, target) == 1;
    }

    public void forget(Jid account) {
        sql.update("DELETE FROM import_mappings WHERE account = ?", account);
    }
}
