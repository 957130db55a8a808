package org.buddycloud.xmppkit.xml;

/** Escaping for text and attribute values; anything XML 1.0 cannot carry is left out. */
public final class Xml {

    private Xml() {
    }

    public static String escapeText(String text) {
        return escape(text, false);
    }

    public static String escapeAttribute(String value) {
        return escape(value, true);
    }

    private static boolean unpaired(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    private static String escape(String text, boolean attribute) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> attribute ? "&quot;" : null;
                case '\'' -> attribute ? "&apos;" : null;
                // characters XML 1.0 does not allow (controls, U+FFFE/U+FFFF, unpaired surrogates) would end the reader's stream
                default -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == '\uFFFE' || c == '\uFFFF' || unpaired(text, i) ? "" : null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
