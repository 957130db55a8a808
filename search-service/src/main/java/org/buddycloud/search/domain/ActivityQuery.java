package org.buddycloud.search.domain;

import java.time.Instant;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * The channels with the most posts since {@code since} ({@code most_active}), of one domain when {@code domain} is
 * given (the channel JID's domain or a subdomain of it, as {@code topics.example.org} of {@code example.org}).
 */
public record ActivityQuery(Instant since, String domain, int max) {

    public static final int DEFAULT_PERIOD_DAYS = 7;
    public static final int LONGEST_PERIOD_DAYS = 365;

    public ActivityQuery {
        if (max < 1 || max > Page.LARGEST_MAX) {
            throw new DomainException(Condition.BAD_REQUEST, "max must lie in [1, " + Page.LARGEST_MAX + "]");
        }
        if (domain != null && (domain.isBlank() || domain.length() > 1023 || domain.contains("@") || domain.contains("/"))) {
            throw new DomainException(Condition.BAD_REQUEST, "domain must be a domain name such as example.org");
        }
    }

    /** From request values: {@code period} in days (default 7), which may be missing or not a number. */
    public static ActivityQuery of(String period, String domain, String max, Instant now) {
        int days = whole("period", period, DEFAULT_PERIOD_DAYS);
        if (days < 1 || days > LONGEST_PERIOD_DAYS) {
            throw new DomainException(Condition.BAD_REQUEST, "period must lie in [1, " + LONGEST_PERIOD_DAYS + "] days");
        }
        String wanted = domain == null || domain.isBlank() ? null : domain.trim().toLowerCase(java.util.Locale.ROOT);
        return new ActivityQuery(now.minus(java.time.Duration.ofDays(days)), wanted, whole("max", max, 10));
    }

    /** Whether a channel of {@code channelDomain} is wanted. */
    public boolean covers(String channelDomain) {
        return domain == null || channelDomain.equals(domain) || channelDomain.endsWith("." + domain);
    }

    /** Whether the channel (a bare JID as the index keeps it) is wanted; cheap, as it runs for every channel counted. */
    public boolean coversChannel(String channel) {
        return domain == null || covers(channel.substring(channel.indexOf('@') + 1));
    }

    private static int whole(String name, String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, name + " must be a whole number, not '" + Page.shortened(value) + "'");
        }
    }
}
