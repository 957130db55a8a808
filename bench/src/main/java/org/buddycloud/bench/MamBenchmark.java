package org.buddycloud.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntFunction;
import org.buddycloud.testsupport.XmppSocketClient;

/**
 * XEP-0313 queries on a 100,000-message archive, over a real XMPP connection to the packaged channel server:
 * p50/p99 of the last page of 50, the last page with one contact, a page of one day in the middle of the archive,
 * and a page deep inside it (RSM after), each beside a ping and a disco#info of the account on the same connection
 * in the same run. Then what archiving costs a chat message: messages per second through the server, archived
 * for both sides, beside the same messages of type headline (delivered, not archived).
 */
public final class MamBenchmark {

    private static final int MESSAGES = Integer.getInteger("bench.mam.messages", 100_000);
    private static final int CONTACTS = 20;
    private static final int QUERIES = Integer.getInteger("bench.mam.queries", 1000);
    private static final int WARM_UP = Integer.getInteger("bench.mam.warm-up", 300);
    private static final int SENT = Integer.getInteger("bench.mam.sent", 1000);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MamBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Machine.describe());
        BenchStack.runWithServer(Map.of("buddycloud.xmpp.idle-timeout", "30m"), "512m", (server, jdbcUrl) -> {
            register(server.baseUrl(), "owner");
            register(server.baseUrl(), "sender");
            Instant newest = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            long started = System.nanoTime();
            fill(jdbcUrl, "owner@localhost", newest);
            System.out.printf("archive of %,d messages with %d contacts written in %.1f s (SQL, one INSERT ... SELECT, then VACUUM ANALYZE)%n",
                    MESSAGES, CONTACTS, (System.nanoTime() - started) / 1e9);
            try (XmppSocketClient owner = XmppSocketClient.connect(server.xmppPort(), "localhost");
                 XmppSocketClient sender = XmppSocketClient.connect(server.xmppPort(), "localhost")) {
                owner.login("owner", "owner-password");
                sender.login("sender", "sender-password");
                String middleId = middleStanzaId(jdbcUrl, "owner@localhost");
                Instant dayStart = newest.minus(Duration.ofMinutes(MESSAGES / 2));
                measure(owner, "ping (baseline)", i -> "<iq type='get' to='localhost' id='b" + i + "'><ping xmlns='urn:xmpp:ping'/></iq>", 0);
                measure(owner, "disco#info of the account (baseline)", i -> "<iq type='get' to='owner@localhost' id='b" + i
                        + "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>", 0);
                measure(owner, "last page of 50", i -> query(i, "", "<max>50</max><before/>"), 50);
                measure(owner, "last page of 50 with one contact", i -> query(i, field("with", "contact" + (i % CONTACTS) + "@localhost"),
                        "<max>50</max><before/>"), 50);
                measure(owner, "first 50 of one day (start/end)", i -> query(i, field("start", dayStart.toString())
                        + field("end", dayStart.plus(Duration.ofDays(1)).toString()), "<max>50</max>"), 50);
                measure(owner, "50 after a message half way back", i -> query(i, "", "<max>50</max><after>" + middleId + "</after>"), 50);
                countInSql(jdbcUrl, "owner@localhost");
                sendRate(owner, sender);
            }
        });
    }

    private static String query(int i, String fields, String rsm) {
        String form = fields.isEmpty() ? "" : "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
                + "<value>urn:xmpp:mam:2</value></field>" + fields + "</x>";
        return "<iq type='set' id='m" + i + "'><query xmlns='urn:xmpp:mam:2' queryid='r" + i + "'>" + form
                + "<set xmlns='http://jabber.org/protocol/rsm'>" + rsm + "</set></query></iq>";
    }

    private static String field(String var, String value) {
        return "<field var='" + var + "'><value>" + value + "</value></field>";
    }

    /** Round trips of one kind of request, one after another on the same connection; checks each answer. */
    private static void measure(XmppSocketClient client, String name, IntFunction<String> request, int results) throws IOException {
        long[] micros = new long[QUERIES];
        for (int i = 0; i < WARM_UP + QUERIES; i++) {
            String xml = request.apply(i);
            String id = xml.replaceFirst("(?s).*? id='([^']*)'.*", "$1");
            long started = System.nanoTime();
            String answer = client.iq(xml, id);
            long took = (System.nanoTime() - started) / 1000;
            if (answer.contains("type=\"error\"") || answer.contains("type='error'")) {
                throw new IOException(name + " failed: " + answer);
            }
            int found = answer.split("<result ", -1).length - 1;
            if (found != results) {
                throw new IOException(name + ": " + found + " results instead of " + results + ": "
                        + answer.substring(Math.max(0, answer.length() - 600)));
            }
            if (i >= WARM_UP) {
                micros[i - WARM_UP] = took;
            }
        }
        Arrays.sort(micros);
        System.out.printf("%-40s p50 %7.2f ms  p99 %7.2f ms  (%d round trips after %d to warm up)%n", name, micros[micros.length / 2] / 1000.0,
                micros[(int) Math.ceil(micros.length * 0.99) - 1] / 1000.0, QUERIES, WARM_UP);
    }

    /** What the RSM {@code <count/>} of the whole archive costs the database alone: most of a page of the whole archive. */
    private static void countInSql(String jdbcUrl, String owner) throws SQLException {
        long[] micros = new long[QUERIES / 2];
        try (Connection c = BenchStack.database(jdbcUrl);
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM message_archive WHERE owner = ?")) {
            count.setString(1, owner);
            for (int i = 0; i < WARM_UP / 2 + micros.length; i++) {
                long started = System.nanoTime();
                try (var rs = count.executeQuery()) {
                    rs.next();
                }
                if (i >= WARM_UP / 2) {
                    micros[i - WARM_UP / 2] = (System.nanoTime() - started) / 1000;
                }
            }
        }
        Arrays.sort(micros);
        System.out.printf("%-40s p50 %7.2f ms  p99 %7.2f ms  (JDBC straight to PostgreSQL, %d times)%n", "count of the whole archive in SQL",
                micros[micros.length / 2] / 1000.0, micros[(int) Math.ceil(micros.length * 0.99) - 1] / 1000.0, micros.length);
    }

    /**
     * Chat messages from sender to owner (archived twice, and carrying a stanza id), then the same number of headlines
     * (delivered the same way, not archived): messages per second until the last one reached the owner.
     */
    private static void sendRate(XmppSocketClient owner, XmppSocketClient sender) throws IOException {
        owner.send("<presence/>");
        owner.iq("<iq type='get' to='localhost' id='presence-done'><ping xmlns='urn:xmpp:ping'/></iq>", "presence-done");
        for (String type : new String[] {"chat", "headline", "chat", "headline"}) {
            String run = type + System.nanoTime();
            long started = System.nanoTime();
            for (int i = 0; i < SENT; i++) {
                sender.send("<message type='" + type + "' to='owner@localhost'><body>" + run + "-" + i
                        + " But soft, what light through yonder window breaks?</body></message>");
            }
            owner.awaitMessage(run + "-" + (SENT - 1) + " ");
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%-40s %,8.0f messages/s (%d sent back to back until the last arrived)%n",
                    "one-to-one " + type + (type.equals("chat") ? " (archived for both)" : " (not archived)"), SENT / seconds, SENT);
        }
    }

    /**
     * Writes the archive straight into the table, rows as the server writes them (owner, random stanza id, contact,
     * stamp, direction, the stanza), one a minute back from now: 100,000 messages through the server would take
     * minutes and measure sending, not querying (the rate of that is measured at the end).
     */
    private static void fill(String jdbcUrl, String owner, Instant newest) throws SQLException {
        try (Connection c = BenchStack.database(jdbcUrl);
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO message_archive (owner, stanza_id, with_jid, stamp, outgoing, stanza)
                     SELECT ?, md5(g::text || random()::text), 'contact' || (g % ?) || '@localhost', ? - (? - g) * interval '1 minute',
                            g % 2 = 0,
                            '<message xmlns="jabber:client" type="chat" id="' || md5(g::text) || '" '
                              || CASE WHEN g % 2 = 0 THEN 'from="' || ? || '/phone" to="contact' || (g % ?) || '@localhost"'
                                 ELSE 'from="contact' || (g % ?) || '@localhost/phone" to="' || ? || '"' END
                              || '><body>message ' || g || ': Did my heart love till now? Forswear it, sight!</body></message>'
                     FROM generate_series(1, ?) g""")) {
            insert.setString(1, owner);
            insert.setInt(2, CONTACTS);
            insert.setObject(3, OffsetDateTime.ofInstant(newest, ZoneOffset.UTC));
            insert.setInt(4, MESSAGES);
            insert.setString(5, owner);
            insert.setInt(6, CONTACTS);
            insert.setInt(7, CONTACTS);
            insert.setString(8, owner);
            insert.setInt(9, MESSAGES);
            insert.executeUpdate();
            try (Statement s = c.createStatement()) {
                // as autovacuum leaves a table that has been written to: statistics and the visibility map (index-only counts)
                s.execute("VACUUM (ANALYZE) message_archive");
            }
        }
    }

    private static String middleStanzaId(String jdbcUrl, String owner) throws SQLException {
        try (Connection c = BenchStack.database(jdbcUrl);
             PreparedStatement select = c.prepareStatement(
                     "SELECT stanza_id FROM message_archive WHERE owner = ? ORDER BY stamp, id OFFSET ? LIMIT 1")) {
            select.setString(1, owner);
            select.setInt(2, MESSAGES / 2);
            try (var rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void register(String baseUrl, String username) throws IOException, InterruptedException {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/account"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username
                        + "\",\"password\":\"" + username + "-password\",\"email\":\"" + username + "@example.com\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IOException("registration of " + username + " refused: " + created.statusCode() + " " + created.body());
        }
    }
}
