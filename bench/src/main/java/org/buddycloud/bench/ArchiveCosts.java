package org.buddycloud.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.UUID;
import java.util.zip.Deflater;
import org.buddycloud.localstack.PostgresNode;

/**
 * What the steps an export takes a file through cost on their own, measured beside it: compressing its bytes as the
 * archive's ZIP does, and writing them into PostgreSQL as the export's 1 MiB rows are written. Their sum beside the
 * export's time for the files says where that time goes.
 */
final class ArchiveCosts {

    private static final int ROUNDS = 16;

    private ArchiveCosts() {
    }

    /** DEFLATE at the default level (what {@code ZipOutputStream} uses) of {@value #ROUNDS} files of random bytes, one thread. */
    static PortabilityBenchmark.Transfer deflate(int fileMib, long seed) {
        byte[] content = new byte[fileMib << 20];
        new Random(seed).nextBytes(content);
        byte[] out = new byte[64 * 1024];
        Deflater warmUp = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        warmUp.setInput(content, 0, Math.min(content.length, 4 << 20));
        warmUp.finish();
        while (!warmUp.finished()) {
            warmUp.deflate(out);
        }
        warmUp.end();
        long began = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            content[0] = (byte) i;
            deflater.setInput(content);
            deflater.finish();
            while (!deflater.finished()) {
                deflater.deflate(out);
            }
            deflater.end();
        }
        return new PortabilityBenchmark.Transfer((long) ROUNDS * content.length, (System.nanoTime() - began) / 1e9);
    }

    /**
     * {@code bytes} as 1 MiB rows of a scratch table shaped like {@code archive_chunks} (dropped afterwards), one
     * autocommitted INSERT each, as {@code ExportJobs.chunks} writes an archive.
     */
    static PortabilityBenchmark.Transfer chunkRows(String jdbcUrl, long bytes) throws SQLException {
        byte[] chunk = new byte[1 << 20];
        new Random(7).nextBytes(chunk);
        int rows = (int) (bytes >> 20);
        UUID id = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(jdbcUrl, PostgresNode.USER, "")) {
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE bench_chunks (export_id uuid NOT NULL, seq integer NOT NULL, data bytea NOT NULL,"
                        + " PRIMARY KEY (export_id, seq))");
            }
            long began = System.nanoTime();
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO bench_chunks (export_id, seq, data) VALUES (?, ?, ?)")) {
                for (int seq = 0; seq < rows; seq++) {
                    chunk[0] = (byte) seq;
                    insert.setObject(1, id);
                    insert.setInt(2, seq);
                    insert.setBytes(3, chunk);
                    insert.executeUpdate();
                }
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            try (Statement s = db.createStatement()) {
                s.execute("DROP TABLE bench_chunks");
            }
            return new PortabilityBenchmark.Transfer((long) rows << 20, seconds);
        }
    }
}
