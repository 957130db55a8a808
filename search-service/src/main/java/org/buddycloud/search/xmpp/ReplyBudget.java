package org.buddycloud.search.xmpp;

import java.nio.charset.StandardCharsets;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Keeps a directory answer within what the channel server takes from a component in one stanza (256 KiB by default:
 * a larger one would end the link): posts are shown as snippets, and items stop once the reply is full. The RSM count
 * still tells how many there are; the client pages on from the last one it got.
 */
final class ReplyBudget {

    /** Well under the 256 KiB stanza limit, leaving room for the IQ, the query and the RSM set. */
    static final int LARGEST_REPLY_BYTES = 192 * 1024;
    /** A post's text in a directory answer; the whole post is one request away at its channel. */
    static final int SNIPPET_CHARACTERS = 1_000;

    private int used;

    /** Counts the item in if it still fits. */
    boolean take(XmlElement item) {
        int size = item.toXml().getBytes(StandardCharsets.UTF_8).length;
        if (used + size > LARGEST_REPLY_BYTES) {
            return false;
        }
        used += size;
        return true;
    }

    static String snippet(String content) {
        if (content == null) {
            return "";
        }
        if (content.codePointCount(0, content.length()) <= SNIPPET_CHARACTERS) {
            return content;
        }
        return content.substring(0, content.offsetByCodePoints(0, SNIPPET_CHARACTERS)) + "…";
    }
}
