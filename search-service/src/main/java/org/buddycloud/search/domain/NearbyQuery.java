package org.buddycloud.search.domain;

import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** Channels about a place within {@code radiusKm} of a point, nearest first ({@code nearby_query}). */
public record NearbyQuery(double lat, double lon, double radiusKm, Page page) {

    /** The old directory's fixed radius, still the default. */
    public static final double DEFAULT_RADIUS_KM = 1000;
    /** Half the Earth's circumference: everything. */
    public static final double LARGEST_RADIUS_KM = 20_038;

    public NearbyQuery {
        if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            throw new DomainException(Condition.BAD_REQUEST, "lat must lie in [-90, 90] and lon in [-180, 180]");
        }
        if (!(radiusKm > 0 && radiusKm <= LARGEST_RADIUS_KM)) {
            throw new DomainException(Condition.BAD_REQUEST, "radius must lie in (0, " + (int) LARGEST_RADIUS_KM + "] km");
        }
    }

    /** From request values that may be missing or not numbers. */
    public static NearbyQuery of(String lat, String lon, String radiusKm, Page page) {
        return new NearbyQuery(coordinate("lat", lat), coordinate("lon", lon),
                radiusKm == null || radiusKm.isBlank() ? DEFAULT_RADIUS_KM : coordinate("radius", radiusKm), page);
    }

    private static double coordinate(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, name + " is required");
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, name + " must be a decimal number, not '" + Page.shortened(value) + "'");
        }
    }
}
