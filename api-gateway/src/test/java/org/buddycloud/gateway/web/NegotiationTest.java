package org.buddycloud.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NegotiationTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {"gzip|true", "gzip, deflate, br|true", "br;q=1.0, GZIP;q=0.5|true", "deflate|false",
            "gzip;q=0|false", "gzip; q=0.000|false", "identity|false", "'  '|false", "gzip;q=x|false", "x-gzip|false"})
    void takesGzipOnlyWhenTheClientNamesItWithAWeight(String acceptEncoding, boolean takes) {
        assertEquals(takes, Negotiation.acceptsGzip(acceptEncoding));
    }

    @ParameterizedTest(name = "[{0}] has {1}: {2}")
    @CsvSource(delimiter = '|', value = {"W/\"abc\"|W/\"abc\"|true", "\"abc\"|W/\"abc\"|true", "W/\"x\", W/\"abc\"|W/\"abc\"|true",
            "*|W/\"abc\"|true", "W/\"abd\"|W/\"abc\"|false", "abc|W/\"abc\"|false"})
    void aCopyIsCurrentWhenItsTagMatchesWeakly(String ifNoneMatch, String tag, boolean current) {
        assertEquals(current, Negotiation.stillHas(ifNoneMatch, tag));
    }
}
