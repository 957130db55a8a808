package org.buddycloud.channels.portability;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where an account's things sit in an archive: at the root of an account archive, under {@code accounts/<jid>/} in a
 * domain archive. And which names a file of an archive may have (nothing that could leave a folder).
 *
 * @param prefix what every path of the account starts with ("" or {@code accounts/<jid>/})
 */
record ArchivePaths(String prefix) {

    static final ArchivePaths ACCOUNT_ARCHIVE = new ArchivePaths("");
    static final String DOMAIN = "domain.json";
    private static final int MAX_LENGTH = 1024;

    /** The paths of one account of a domain archive. */
    static ArchivePaths ofDomainAccount(String jid) {
        return new ArchivePaths("accounts/" + segment(jid) + "/");
    }

    String account() {
        return prefix + "account.json";
    }

    /** The account's credentials (SCRAM keys): in domain archives only, which an operator moves to new hardware. */
    String credentials() {
        return prefix + "credentials.json";
    }

    /** The account's vCard (vcard-temp), as its XMPP clients set it. */
    String profile() {
        return prefix + "profile/vcard.xml";
    }

    String subscriptions() {
        return prefix + "subscriptions.json";
    }

    String authoredElsewhere() {
        return prefix + "authored-elsewhere.atom";
    }

    String media() {
        return prefix + "media.json";
    }

    String notificationSettings() {
        return prefix + "settings/notification_settings.json";
    }

    String claims() {
        return prefix + "settings/claims.json";
    }

    String channel(String jid) {
        return prefix + "channels/" + segment(jid) + "/channel.json";
    }

    String posts(String jid, String nodeType) {
        return prefix + "channels/" + segment(jid) + "/" + segment(nodeType) + ".atom";
    }

    String mediaFile(String channel, String id) {
        return prefix + "media/" + segment(channel) + "/" + segment(id);
    }

    /** Whether {@code path} is the description of one of this account's channels. */
    boolean isChannel(String path) {
        if (!path.startsWith(prefix + "channels/") || !path.endsWith("/channel.json")) {
            return false;
        }
        String middle = path.substring(prefix.length() + "channels/".length(), path.length() - "/channel.json".length());
        return !middle.isEmpty() && middle.indexOf('/') < 0;
    }

    /** Refuses a name that is absolute, climbs out, holds a backslash or a control character, or is too long. */
    static void check(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_LENGTH || path.startsWith("/") || path.contains("\\")
                || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ArchiveReader.refused("the archive holds a file with an unacceptable name: " + printable(path));
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw ArchiveReader.refused("the archive holds a file with an unacceptable name: " + printable(path));
            }
        }
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String printable(String path) {
        if (path == null) {
            return "(none)";
        }
        String shown = path.length() > 80 ? path.substring(0, 80) + "…" : path;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
