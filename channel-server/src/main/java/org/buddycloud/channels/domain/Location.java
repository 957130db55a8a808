package org.buddycloud.channels.domain;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.buddycloud.contracts.problem.Condition;

/**
 * An XEP-0080 user location, the item of a geo node ({@code /geo/current}, {@code /geo/next},
 * {@code /geo/previous}): its elements in the order published, each known to XEP-0080 §4 and at most
 * once, numbers where XEP-0080 has numbers, every value bounded. Anything else is refused with
 * {@code invalid-payload}. No element at all is XEP-0080's way of saying the user stopped publishing a place (§5).
 *
 * @param lang the {@code xml:lang} of the {@code <geoloc/>} element, or null
 */
public record Location(String lang, List<Field> fields) {

    public static final String NAMESPACE = "http://jabber.org/protocol/geoloc";
    static final int MAX_VALUE_LENGTH = 1024;

    /** One child element of {@code <geoloc/>} and its text. */
    public record Field(String name, String value) {
    }

    private static final Set<String> DECIMALS = Set.of("accuracy", "alt", "altaccuracy", "bearing", "error", "lat", "lon", "speed");
    private static final Set<String> TEXTS = Set.of("area", "building", "country", "countrycode", "datum", "description", "floor",
            "locality", "postalcode", "region", "room", "street", "text");
    /** xs:decimal, the type of XEP-0080's numbers: no exponent, no NaN. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d{1,20}(\\.\\d{0,20})?|\\.\\d{1,20})");
    private static final Pattern TZO = Pattern.compile("[+-](0\\d|1[0-4]):[0-5]\\d|Z");
    private static final Pattern LANG = Pattern.compile("[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8}){0,4}");

    public Location {
        fields = List.copyOf(fields);
        if (lang != null && !LANG.matcher(lang).matches()) {
            throw invalid("xml:lang is a language tag such as en or de-CH");
        }
        Set<String> seen = new HashSet<>();
        for (Field field : fields) {
            check(field);
            if (!seen.add(field.name())) {
                throw invalid("<" + field.name() + "/> appears twice");
            }
        }
    }

    /** Where it is, for the columns and events that carry a post's place. */
    public Post.Geoloc geoloc() {
        if (fields.isEmpty()) {
            return null;
        }
        Double lat = decimal("lat");
        Double lon = decimal("lon");
        String text = value("text");
        return new Post.Geoloc(lat, lon, text != null ? text : value("description"));
    }

    /** The {@code <geoloc/>} element as published, every value escaped. */
    public String toXml() {
        StringBuilder xml = new StringBuilder("<geoloc xmlns=\"").append(NAMESPACE).append('"');
        if (lang != null) {
            xml.append(" xml:lang=\"").append(lang).append('"');
        }
        if (fields.isEmpty()) {
            return xml.append("/>").toString();
        }
        xml.append('>');
        for (Field field : fields) {
            xml.append('<').append(field.name()).append('>').append(escape(field.value())).append("</").append(field.name()).append('>');
        }
        return xml.append("</geoloc>").toString();
    }

    private String value(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).map(Field::value).findFirst().orElse(null);
    }

    private Double decimal(String name) {
        String value = value(name);
        return value == null ? null : Double.valueOf(value.trim());
    }

    private static void check(Field field) {
        String name = field.name();
        String value = field.value() == null ? "" : field.value();
        if (value.length() > MAX_VALUE_LENGTH) {
            throw invalid("<" + name + "/> has more than " + MAX_VALUE_LENGTH + " characters");
        }
        if (DECIMALS.contains(name)) {
            double number = number(name, value);
            if (name.equals("lat") && !(number >= -90 && number <= 90) || name.equals("lon") && !(number >= -180 && number <= 180)) {
                throw invalid("lat lies in [-90, 90] and lon in [-180, 180]");
            }
        } else if (name.equals("timestamp")) {
            try {
                OffsetDateTime.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw invalid("<timestamp/> is an XEP-0082 date and time such as 2024-05-01T12:00:00Z");
            }
        } else if (name.equals("tzo")) {
            if (!TZO.matcher(value.trim()).matches()) {
                throw invalid("<tzo/> is an offset such as +02:00");
            }
        } else if (name.equals("uri")) {
            try {
                if (!new URI(value.trim()).isAbsolute()) {
                    throw invalid("<uri/> is an absolute URI");
                }
            } catch (URISyntaxException e) {
                throw invalid("<uri/> is not a URI");
            }
        } else if (!TEXTS.contains(name)) {
            throw invalid("<" + name + "/> is not an element of XEP-0080");
        }
    }

    private static double number(String name, String value) {
        if (!DECIMAL.matcher(value.trim()).matches()) {
            throw invalid("<" + name + "/> is a decimal number, not '" + shortened(value) + "'");
        }
        return new BigDecimal(value.trim()).doubleValue();
    }

    private static String shortened(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static PubSubRefusal invalid(String message) {
        return new PubSubRefusal(Condition.BAD_REQUEST, PubSubRefusal.Reason.INVALID_PAYLOAD, message);
    }
}
