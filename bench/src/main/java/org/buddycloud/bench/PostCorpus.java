package org.buddycloud.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.buddycloud.localstack.PostgresNode;

/**
 * A channel's history written straight into the channel server's {@code items} table, row for row as
 * {@code JdbcPostStore.insert} writes a post published over REST: a random UUID id, the author, the reply's parent, the
 * times (a post's {@code updated} moved to its newest reply, as {@code PostService} touches the parent; its entry keeps
 * the time it was written), the default title {@code Post} unless one was given, TEXT content, the media column, and the
 * Atom entry as {@code AtomEntries.render} writes it; then the node's counters as the insert keeps them.
 * {@link #checkAgainstServer} proves the rendering on rows the server itself wrote.
 *
 * <p>Top-level posts are the owner's, one every ten minutes up to a day ago; replies (one level deep, as the server
 * allows) go to random posts within two hours of them, by the followers and now and then the owner. Content is 100 to
 * 1,000 characters of words, a tenth of the top-level posts have a title, and the first posts each show one of the
 * channel's files.
 */
final class PostCorpus {

    static final String DOMAIN = "localhost";
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String ACTIVITY = "http://activitystrea.ms/spec/1.0/";
    private static final String THREAD = "http://purl.org/syndication/thread/1.0";
    private static final String MEDIA = "http://buddycloud.org/v1/media";
    private static final int BATCH = 1_000;
    private static final String[] WORDS = ("the balcony light east sun moon garden night morning river city market friends music "
            + "coffee train window rain summer winter letter story song street bridge harbour evening dinner walk book picture "
            + "and with from about again under over after before today tomorrow yesterday soon never always here there quite "
            + "really little great small long short bright quiet busy warm cold new old first last good kind happy").split(" ");

    /** What was written. */
    record Seeded(int posts, int topLevel, int replies, long contentChars, double insertSeconds, double analyzeSeconds) {
    }

    /** One file of the channel that a post shows. */
    record MediaRef(String channel, String id) {
    }

    private PostCorpus() {
    }

    /** Writes {@code count} posts into the personal channel of {@code owner} (its posts node), a {@code replyShare} of them replies. */
    static Seeded seed(String jdbcUrl, String owner, List<String> followers, List<MediaRef> shown, int count, double replyShare,
                       long seed) throws SQLException {
        String node = "/user/" + owner + "/posts";
        Random random = new Random(seed);
        int replies = (int) Math.round(count * replyShare);
        int top = count - replies;
        Instant newest = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
        String[] topIds = new String[top];
        long[] topPublished = new long[top];
        long[] topUpdated = new long[top];
        for (int i = 0; i < top; i++) {
            topIds[i] = uuid(random);
            topPublished[i] = newest.minus(Duration.ofMinutes(10L * (top - 1 - i))).toEpochMilli() + random.nextInt(60_000);
            topUpdated[i] = topPublished[i];
        }
        int[] parents = new int[replies];
        long[] replyPublished = new long[replies];
        for (int j = 0; j < replies; j++) {
            parents[j] = random.nextInt(top);
            replyPublished[j] = topPublished[parents[j]] + 1_000 + random.nextInt(7_200_000);
            topUpdated[parents[j]] = Math.max(topUpdated[parents[j]], replyPublished[j]);
        }
        long chars = 0;
        long began = System.nanoTime();
        try (Connection db = DriverManager.getConnection(jdbcUrl + "?reWriteBatchedInserts=true", PostgresNode.USER, "")) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO items (node, id, author, in_reply_to, published, updated, title, content, content_type, rating,
                                       target_id, geo_lat, geo_lon, geo_text, media, extensions, entry)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                int pending = 0;
                for (int i = 0; i < count; i++) {
                    boolean reply = i >= top;
                    int j = i - top;
                    Random text = new Random(seed * 31 + i);
                    String content = content(text);
                    chars += content.length();
                    String title = !reply && text.nextInt(10) == 0 ? title(text) : "Post";
                    String author = reply && j % 5 != 0 ? followers.get(j % followers.size()) : owner;
                    List<MediaRef> media = !reply && i < shown.size() ? List.of(shown.get(i)) : List.of();
                    Row row = reply
                            ? new Row(node, uuid(random), author, topIds[parents[j]], Instant.ofEpochMilli(replyPublished[j]),
                                    Instant.ofEpochMilli(replyPublished[j]), title, content, media)
                            : new Row(node, topIds[i], author, null, Instant.ofEpochMilli(topPublished[i]),
                                    Instant.ofEpochMilli(topUpdated[i]), title, content, media);
                    bind(insert, row);
                    insert.addBatch();
                    if (++pending == BATCH) {
                        insert.executeBatch();
                        db.commit();
                        pending = 0;
                    }
                }
                insert.executeBatch();
            }
            try (PreparedStatement counters = db.prepareStatement(
                    "UPDATE nodes SET item_count = item_count + ?, thread_count = thread_count + ? WHERE node = ?")) {
                counters.setLong(1, count);
                counters.setLong(2, top);
                counters.setString(3, node);
                if (counters.executeUpdate() != 1) {
                    throw new IllegalStateException("no node " + node + " to count the posts in");
                }
            }
            db.commit();
            double insertSeconds = (System.nanoTime() - began) / 1e9;
            db.setAutoCommit(true);
            long analyzed = System.nanoTime();
            try (Statement s = db.createStatement()) {
                s.execute("VACUUM (ANALYZE) items");
            }
            return new Seeded(count, top, replies, chars, insertSeconds, (System.nanoTime() - analyzed) / 1e9);
        }
    }

    /**
     * Renders each of the node's rows as this corpus would and compares with what the server wrote (the entry, and the
     * columns this corpus fills): answers the differences, none when the corpus writes rows as the server does.
     */
    static List<String> checkAgainstServer(String jdbcUrl, String node) throws SQLException {
        List<String> differences = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, PostgresNode.USER, "");
             PreparedStatement rows = db.prepareStatement("SELECT id, author, in_reply_to, published, title, content, content_type,"
                     + " rating, target_id, geo_lat, geo_lon, geo_text, media, extensions, entry FROM items WHERE node = ?")) {
            rows.setString(1, node);
            try (ResultSet rs = rows.executeQuery()) {
                while (rs.next()) {
                    Instant published = rs.getObject("published", OffsetDateTime.class).toInstant();
                    List<MediaRef> media = parseMedia(rs.getString("media"));
                    Row row = new Row(node, rs.getString("id"), rs.getString("author"), rs.getString("in_reply_to"), published, published,
                            rs.getString("title"), rs.getString("content"), media);
                    String entry = rs.getString("entry");
                    if (!row.entry().equals(entry)) {
                        differences.add("entry of " + row.id() + ":\n  server: " + entry + "\n  corpus: " + row.entry());
                    }
                    if (!"TEXT".equals(rs.getString("content_type")) || rs.getObject("rating") != null || rs.getObject("target_id") != null
                            || rs.getObject("geo_lat") != null || rs.getObject("geo_lon") != null || rs.getObject("geo_text") != null
                            || rs.getObject("extensions") != null) {
                        differences.add("columns of " + row.id() + " the corpus leaves empty are not: " + rs.getString("content_type"));
                    }
                    if (!media.equals(parseMedia(row.mediaJson()))) {
                        differences.add("media of " + row.id() + ": server " + rs.getString("media") + ", corpus " + row.mediaJson());
                    }
                }
            }
        }
        return differences;
    }

    /** A post as a row of {@code items}. */
    private record Row(String node, String id, String author, String inReplyTo, Instant published, Instant updated, String title,
                       String content, List<MediaRef> media) {

        /** {@code JdbcPostStore.mediaJson}: {@code []}, or the refs as {@code {channel, id}} objects. */
        String mediaJson() {
            if (media.isEmpty()) {
                return "[]";
            }
            StringBuilder json = new StringBuilder("[");
            for (MediaRef ref : media) {
                json.append(json.length() > 1 ? "," : "").append("{\"channel\":\"").append(ref.channel()).append("\",\"id\":\"")
                        .append(ref.id()).append("\"}");
            }
            return json.append(']').toString();
        }

        /**
         * {@code AtomEntries.render} of the post as inserted (published and updated alike: a reply later moves the
         * column, not the entry), as the server's StAX writer (Aalto) serialises it.
         */
        String entry() {
            String time = published.toString();
            StringBuilder xml = new StringBuilder(600 + content.length());
            xml.append("<entry xmlns=\"").append(ATOM).append("\" xmlns:activity=\"").append(ACTIVITY).append("\" xmlns:thr=\"")
                    .append(THREAD).append("\">");
            xml.append("<id>tag:").append(DOMAIN).append(',').append(node).append(',').append(id).append("</id>");
            xml.append("<title>").append(escape(title)).append("</title>");
            xml.append("<content type=\"text\">").append(escape(content)).append("</content>");
            xml.append("<published>").append(time).append("</published><updated>").append(time).append("</updated>");
            xml.append("<author><name>").append(author).append("</name><uri>acct:").append(author)
                    .append("</uri><activity:object-type>person</activity:object-type></author>");
            xml.append("<activity:verb>post</activity:verb><activity:object><activity:object-type>")
                    .append(inReplyTo == null ? "note" : "comment").append("</activity:object-type></activity:object>");
            if (inReplyTo != null) {
                xml.append("<thr:in-reply-to ref=\"").append(inReplyTo).append("\"/>");
            }
            if (!media.isEmpty()) {
                xml.append("<bcm:media xmlns:bcm=\"").append(MEDIA).append("\">");
                for (MediaRef ref : media) {
                    xml.append("<bcm:item id=\"").append(ref.id()).append("\" channel=\"").append(ref.channel()).append("\"/>");
                }
                xml.append("</bcm:media>");
            }
            return xml.append("</entry>").toString();
        }
    }

    private static void bind(PreparedStatement insert, Row row) throws SQLException {
        insert.setString(1, row.node());
        insert.setString(2, row.id());
        insert.setString(3, row.author());
        insert.setString(4, row.inReplyTo());
        insert.setObject(5, OffsetDateTime.ofInstant(row.published(), ZoneOffset.UTC));
        insert.setObject(6, OffsetDateTime.ofInstant(row.updated(), ZoneOffset.UTC));
        insert.setString(7, row.title());
        insert.setString(8, row.content());
        insert.setString(9, "TEXT");
        insert.setNull(10, Types.SMALLINT);
        insert.setNull(11, Types.VARCHAR);
        insert.setNull(12, Types.DOUBLE);
        insert.setNull(13, Types.DOUBLE);
        insert.setNull(14, Types.VARCHAR);
        insert.setString(15, row.mediaJson());
        insert.setNull(16, Types.VARCHAR);
        insert.setString(17, row.entry());
    }

    /** 100 to 1,000 characters of words, with a sentence's capital and full stop. */
    static String content(Random random) {
        int length = 101 + random.nextInt(900);
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            text.append(text.length() == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        text.setLength(length - 1);
        if (text.charAt(text.length() - 1) == ' ') {
            text.setLength(text.length() - 1);
        }
        text.setCharAt(0, Character.toUpperCase(text.charAt(0)));
        return text.append('.').toString();
    }

    private static String title(Random random) {
        StringBuilder title = new StringBuilder();
        for (int i = 0, words = 3 + random.nextInt(4); i < words; i++) {
            title.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        title.setCharAt(0, Character.toUpperCase(title.charAt(0)));
        return title.toString();
    }

    /** A version 4 UUID as the server makes them ({@code UUID.randomUUID()}), from the corpus's seed. */
    private static String uuid(Random random) {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private static List<MediaRef> parseMedia(String json) {
        List<MediaRef> refs = new ArrayList<>();
        java.util.regex.Matcher ref = java.util.regex.Pattern.compile("\\{([^}]*)}").matcher(json == null ? "" : json);
        while (ref.find()) {
            String fields = ref.group(1);
            refs.add(new MediaRef(fields.replaceAll(".*\"channel\":\"([^\"]*)\".*", "$1"), fields.replaceAll(".*\"id\":\"([^\"]*)\".*", "$1")));
        }
        return refs;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
