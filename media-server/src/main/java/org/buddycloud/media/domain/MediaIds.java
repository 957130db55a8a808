package org.buddycloud.media.domain;

import java.security.SecureRandom;
import java.util.regex.Pattern;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** Media ids: 20 random letters and digits as in the original; anything else in a path is refused before it is used. */
public final class MediaIds {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private MediaIds() {
    }

    public static String next() {
        StringBuilder id = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /** Letters and digits only: no dots, slashes or encodings that could climb out of the channel's folder. */
    public static String check(String id) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no such media");
        }
        return id;
    }

    /**
     * {@code <channel>/media/<id>}: originals and previews live apart, because file-system backed stores
     * cannot hold an object and other objects beneath its name; the channel prefix holds everything of a channel.
     */
    public static String objectKey(Jid channel, String id) {
        return channel.toBare() + "/media/" + check(id);
    }

    /** {@code <channel>/previews/<id>/<w>x<h>}. */
    static String previewKey(Jid channel, String id, int boxWidth, int boxHeight) {
        return previewPrefix(channel, id) + boxWidth + "x" + boxHeight;
    }

    public static String previewPrefix(Jid channel, String id) {
        return channel.toBare() + "/previews/" + check(id) + "/";
    }
}
