package org.buddycloud.webtests;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.buddycloud.localstack.PostgresNode;

/**
 * What the stack's stores hold, read directly and not through any service: every table of a service's PostgreSQL
 * database, column by column, and the keys of the media bucket. A test proves with it that something is gone from
 * where it was kept, not merely that an API no longer shows it.
 */
final class StoreContents {

    /** Column types that can hold a JID or a name in any form: text, JSON, arrays, full-text vectors, raw bytes. */
    private static final String SEARCHABLE_TYPES = "'text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', "
            + "'tsvector', 'USER-DEFINED', 'bytea'";
    private static final int SHOWN_PER_COLUMN = 3;

    private record Column(String table, String name, String type) {
    }

    private final WebStack.Stores stores;
    private final MinioClient s3;

    StoreContents(WebStack.Stores stores) {
        this.stores = stores;
        this.s3 = MinioClient.builder().endpoint(stores.s3Endpoint()).credentials(stores.s3AccessKey(), stores.s3SecretKey())
                .region("us-east-1").build();
    }

    /**
     * Every value of every table in {@code database} that contains {@code text}, as {@code table.column: value}
     * (values cut short), a few per column. Bytes are searched for the text's UTF-8 form.
     */
    List<String> mentions(String database, String text) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection db = connect(database)) {
            for (Column column : searchableColumns(db)) {
                String table = quoted(column.table());
                String name = quoted(column.name());
                boolean bytes = column.type().equals("bytea");
                String sql = bytes
                        ? "SELECT encode(substring(" + name + " from 1 for 120), 'escape') FROM " + table
                        + " WHERE position(convert_to(?, 'UTF8') in " + name + ") > 0 LIMIT " + SHOWN_PER_COLUMN
                        : "SELECT left(" + name + "::text, 200) FROM " + table + " WHERE strpos(" + name + "::text, ?) > 0 LIMIT "
                        + SHOWN_PER_COLUMN;
                try (PreparedStatement query = db.prepareStatement(sql)) {
                    query.setString(1, text);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            found.add(database + "." + column.table() + "." + column.name() + ": " + rows.getString(1));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The single number {@code sql} answers in {@code database}, e.g. a count. */
    long count(String database, String sql, Object... parameters) throws SQLException {
        try (Connection db = connect(database); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Every object key in the media bucket. */
    List<String> objectKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket(stores.bucket()).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    private Connection connect(String database) throws SQLException {
        String url = stores.databases().get(database);
        if (url == null) {
            throw new IllegalArgumentException("no database " + database + " in the stack: " + stores.databases().keySet());
        }
        return DriverManager.getConnection(url, PostgresNode.USER, "");
    }

    /** Table, column and type of every column worth searching, of the tables the services made. */
    private static List<Column> searchableColumns(Connection db) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("SELECT c.table_name, c.column_name, c.data_type "
                + "FROM information_schema.columns c JOIN information_schema.tables t "
                + "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                + "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type IN (" + SEARCHABLE_TYPES + ") "
                + "ORDER BY c.table_name, c.ordinal_position");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                columns.add(new Column(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        }
        return columns;
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
