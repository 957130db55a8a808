package org.buddycloud.gateway.web;

/** What a request's headers ask for: an encoding it takes (RFC 9110 §12.5.3), a copy it still has (§13.1.2). */
final class Negotiation {

    private Negotiation() {
    }

    /** Whether {@code acceptEncoding} takes gzip: named with a weight above zero. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip")) {
                return weight(parts) > 0;
            }
        }
        return false;
    }

    /** Whether {@code ifNoneMatch} names {@code tag}, compared weakly as If-None-Match is. */
    static boolean stillHas(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = withoutWeakness(tag);
        for (String offered : ifNoneMatch.split(",")) {
            String candidate = offered.trim();
            if (candidate.equals("*") || withoutWeakness(candidate).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    private static String withoutWeakness(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
