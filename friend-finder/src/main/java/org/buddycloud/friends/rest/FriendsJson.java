package org.buddycloud.friends.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.buddycloud.friends.domain.Claim;

/** The friend finder's JSON. Lookups take the shape of Matrix's identity service v2; the legacy match, PROTOCOL.md §5's. */
final class FriendsJson {

    private FriendsJson() {
    }

    record HashDetails(List<String> algorithms, @JsonProperty("lookup_pepper") String lookupPepper) {
    }

    record Lookup(String algorithm, String pepper, List<String> addresses) {
    }

    record Mappings(Map<String, String> mappings) {
    }

    record NewClaim(String medium, String address, String country, Boolean discoverable) {
    }

    record Code(String code) {
    }

    record Discoverable(Boolean discoverable) {
    }

    record ClaimView(String id, String medium, String address, boolean verified, boolean discoverable,
                     @JsonProperty("verified_at") Instant verifiedAt, @JsonProperty("created_at") Instant createdAt) {

        static ClaimView of(Claim c) {
            return new ClaimView(c.id(), c.medium().wireName(), c.masked(), c.verified(), c.discoverable(), c.verifiedAt(), c.createdAt());
        }
    }

    record LegacyMatch(List<String> mine, List<String> others) {
    }

    record LegacyItem(String jid, @JsonProperty("matched-hash") String matchedHash) {
    }

    record LegacyItems(List<LegacyItem> items) {
    }
}
