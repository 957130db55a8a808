package org.buddycloud.channels.domain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;

/** The JIDs a post's text mentions: JID-looking tokens such as {@code @juliet@example.com} or {@code romeo@example.com}. */
final class Mentions {

    private static final Pattern JID = Pattern.compile("(?<![\\p{L}\\p{N}._%+-])@?([\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(\\.[\\p{L}\\p{N}-]+)*)");
    private static final int MAX = 50;

    private Mentions() {
    }

    static List<Jid> in(String text) {
        if (text == null) {
            return List.of();
        }
        Set<Jid> found = new LinkedHashSet<>();
        Matcher matcher = JID.matcher(text);
        while (matcher.find() && found.size() < MAX) {
            try {
                Jid jid = Jid.parse(matcher.group(1));
                if (jid.isEntityBare()) {
                    found.add(jid);
                }
            } catch (InvalidJidException e) {
                // looked like a JID, is not one
            }
        }
        return List.copyOf(found);
    }
}
