package org.buddycloud.search.domain;

/** Coordinates an index can hold as a point: both given, finite, on the globe. */
final class Places {

    private Places() {
    }

    static boolean valid(Double lat, Double lon) {
        // written so that NaN fails: no comparison with NaN is true
        return lat != null && lon != null && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
    }
}
