package org.buddycloud.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.buddycloud.friends.domain.Identifier;
import org.buddycloud.friends.domain.IdentifierSeal;
import org.buddycloud.friends.domain.LookupHashes;

/**
 * The friend benchmark's claims, written straight into the friend finder's tables as a verified, discoverable claim
 * leaves them: claim {@code i}'s identifier (even: a mail address; odd: a phone number of Britain, Germany or France in
 * turn, national or international form as a user types it), its holder and its hash are made the same way whenever
 * asked, so that lookups know which hashes are claims and whose. Consecutive claims share a holder, so that each JID
 * holds mail addresses and phone numbers.
 */
final class FriendsCorpus {

    private static final int BATCH = 2_000;

    private final int claims;
    private final int claimsPerJid;
    private final IdentifierSeal seal;
    private final String pepper;
    private final int pepperId;

    FriendsCorpus(int claims, int jids, String identifierKey, String pepper, int pepperId) {
        this.claims = claims;
        this.claimsPerJid = Math.max(1, (claims + jids - 1) / jids);
        this.seal = new IdentifierSeal(identifierKey, new SecureRandom());
        this.pepper = pepper;
        this.pepperId = pepperId;
    }

    int claims() {
        return claims;
    }

    int jids() {
        return (claims + claimsPerJid - 1) / claimsPerJid;
    }

    static Identifier identifier(int i) {
        if (i % 2 == 0) {
            return Identifier.email("Friend." + i + "@Example" + (i % 97) + ".org");
        }
        int k = i / 2;
        long number = k / 3;
        return switch (k % 3) {
            case 0 -> Identifier.phone(String.format("074%08d", number), "GB");
            case 1 -> Identifier.phone(String.format("+49 151 %08d", number), null);
            default -> Identifier.phone(String.format("+33 6 %08d", number), null);
        };
    }

    String jid(int i) {
        return "friend" + (i / claimsPerJid) + "@localhost";
    }

    /** What a client sends for claim {@code i}'s identifier under the current pepper. */
    String hash(int i) {
        return LookupHashes.peppered(identifier(i), pepper);
    }

    /**
     * Every claim and its hash under the current pepper, {@value #BATCH} a transaction, by {@code writers} connections
     * at once (each makes its own batches: sealing and hashing beside the database's work); the driver sends each
     * batch as multi-row inserts.
     */
    void seed(String jdbcUrl, int writers) throws Exception {
        AtomicInteger nextBatch = new AtomicInteger();
        int batches = (claims + BATCH - 1) / BATCH;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    try (Connection db = BenchStack.database(jdbcUrl + "?reWriteBatchedInserts=true")) {
                        db.setAutoCommit(false);
                        for (int b = nextBatch.getAndIncrement(); b < batches; b = nextBatch.getAndIncrement()) {
                            write(db, b * BATCH, Math.min(claims, (b + 1) * BATCH));
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> writer : done) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void write(Connection db, int from, int to) throws SQLException {
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
        try (PreparedStatement claim = db.prepareStatement("INSERT INTO friend_claims (id, jid, medium, sealed, fingerprint, masked, "
                + "discoverable, verified_at, created_at) VALUES (?, ?, ?, ?, ?, ?, true, ?, ?)");
             PreparedStatement hash = db.prepareStatement("INSERT INTO friend_hashes (pepper_id, hash, claim_id) VALUES (?, ?, ?)")) {
            for (int i = from; i < to; i++) {
                Identifier identifier = identifier(i);
                String id = UUID.randomUUID().toString();
                claim.setString(1, id);
                claim.setString(2, jid(i));
                claim.setString(3, identifier.medium().wireName());
                claim.setBytes(4, seal.seal(identifier));
                claim.setString(5, seal.fingerprint(identifier));
                claim.setString(6, identifier.masked());
                claim.setObject(7, now);
                claim.setObject(8, now);
                claim.addBatch();
                hash.setInt(1, pepperId);
                hash.setString(2, LookupHashes.peppered(identifier, pepper));
                hash.setString(3, id);
                hash.addBatch();
            }
            claim.executeBatch();
            hash.executeBatch();
        }
        db.commit();
    }

    /** Fresh planner statistics, as autovacuum would gather them some time after a bulk load. */
    static void analyze(String jdbcUrl) throws SQLException {
        try (Connection db = BenchStack.database(jdbcUrl); Statement s = db.createStatement()) {
            s.execute("ANALYZE friend_claims");
            s.execute("ANALYZE friend_hashes");
        }
    }
}
