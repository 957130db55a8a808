package org.buddycloud.servicekit.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Thin JDBC: parameters bound by type, rows mapped by a lambda, connection problems turned into
 * {@code service-unavailable}. Connections come from the pool and join the caller's transaction.
 */
public final class Sql {

    private static final String UNIQUE_VIOLATION = "23505";

    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final DataSource dataSource;

    public Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = prepare(c, sql, params)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw translate(e, sql);
        }
    }

    /** An insert that may hit a unique constraint: false instead of an error when it does. */
    public boolean insertUnique(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = prepare(c, sql, params)) {
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw translate(e, sql);
        }
    }

    public <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> rows = list(sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public <T> List<T> list(String sql, Row<T> row, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = prepare(c, sql, params);
             ResultSet rs = s.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rs.next()) {
                result.add(row.map(rs));
            }
            return result;
        } catch (SQLException e) {
            throw translate(e, sql);
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object[] params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            bind(s, i + 1, params[i]);
        }
        return s;
    }

    private static void bind(PreparedStatement s, int index, Object value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.NULL);
        } else if (value instanceof Instant instant) {
            s.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else if (value instanceof Jid jid) {
            s.setString(index, jid.toString());
        } else if (value instanceof String[] texts) {
            s.setArray(index, s.getConnection().createArrayOf("text", texts));
        } else if (value instanceof byte[] bytes) {
            s.setBytes(index, bytes);
        } else if (value instanceof Enum<?> constant) {
            s.setString(index, constant.name());
        } else {
            s.setObject(index, value);
        }
    }

    private static RuntimeException translate(SQLException e, String sql) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            return new DomainException(Condition.SERVICE_UNAVAILABLE, "the database is unavailable; try again shortly");
        }
        return new IllegalStateException("SQL failed (" + state + "): " + firstLine(sql), e);
    }

    private static String firstLine(String sql) {
        String trimmed = sql.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }
}
