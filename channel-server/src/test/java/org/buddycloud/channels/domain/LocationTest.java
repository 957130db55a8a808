package org.buddycloud.channels.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0080 locations: what a geo node takes, and how it is written back. */
class LocationTest {

    private static Location of(String... nameValues) {
        List<Location.Field> fields = new java.util.ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            fields.add(new Location.Field(nameValues[i], nameValues[i + 1]));
        }
        return new Location(null, fields);
    }

    private static void refused(String... nameValues) {
        PubSubRefusal refusal = assertThrows(PubSubRefusal.class, () -> of(nameValues));
        assertEquals(PubSubRefusal.Reason.INVALID_PAYLOAD, refusal.reason());
    }

    @Test
    void aLocationIsWrittenBackInItsOrderWithItsTextEscaped() {
        Location location = new Location("en", List.of(new Location.Field("lon", "10.99"), new Location.Field("lat", "45.43"),
                new Location.Field("text", "Romeo & <Juliet>")));
        assertEquals("<geoloc xmlns=\"http://jabber.org/protocol/geoloc\" xml:lang=\"en\"><lon>10.99</lon><lat>45.43</lat>"
                + "<text>Romeo &amp; &lt;Juliet&gt;</text></geoloc>", location.toXml());
        assertEquals(new Post.Geoloc(45.43, 10.99, "Romeo & <Juliet>"), location.geoloc());
    }

    @Test
    void numbersAreDecimalsAndCoordinatesLieOnTheGlobe() {
        of("lat", "-90", "lon", "180", "alt", "+12.5", "speed", ".5", "bearing", "0.");
        refused("lat", "north");
        refused("lat", "1e3");
        refused("lat", "NaN");
        refused("lat", "90.001");
        refused("lon", "-180.5");
        refused("accuracy", "");
    }

    @Test
    void onlyXep0080ElementsOnceEachAndBoundedAreTaken() {
        of("timestamp", "2026-12-06T21:00Z", "tzo", "-07:00", "uri", "geo:45.4,10.9", "countrycode", "IT");
        refused("planet", "Mars");
        refused("lat", "1", "lat", "2");
        refused("text", "x".repeat(Location.MAX_VALUE_LENGTH + 1));
        refused("timestamp", "yesterday");
        refused("tzo", "CET");
        refused("uri", "not a uri");
        assertThrows(PubSubRefusal.class, () -> new Location("not a language!", List.of()));
    }

    @Test
    void noElementSaysThePlaceIsNoLongerPublished() {
        Location stopped = new Location(null, List.of());
        assertEquals("<geoloc xmlns=\"http://jabber.org/protocol/geoloc\"/>", stopped.toXml());
        assertNull(stopped.geoloc());
    }
}
