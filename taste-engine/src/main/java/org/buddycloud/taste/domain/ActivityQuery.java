package org.buddycloud.taste.domain;

import java.util.Locale;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * The channels with the most posts in the last {@code days} days ({@code most_active}), of one domain when
 * {@code domain} is given (the channel's domain or a subdomain of it, as {@code topics.example.org} of
 * {@code example.org}).
 */
public record ActivityQuery(int days, String domain, Page page) {

    public static final int DEFAULT_DAYS = 7;

    public ActivityQuery {
        if (days < 1 || days > ActivityLedger.DAYS) {
            throw new DomainException(Condition.BAD_REQUEST, "period must lie in [1, " + ActivityLedger.DAYS + "] days");
        }
        if (domain != null && (domain.isBlank() || domain.length() > 1023 || domain.contains("@") || domain.contains("/"))) {
            throw new DomainException(Condition.BAD_REQUEST, "domain must be a domain name such as example.org");
        }
    }

    /** From request values, which may be missing or not numbers. */
    public static ActivityQuery of(String period, String domain, Page page) {
        String wanted = domain == null || domain.isBlank() ? null : domain.trim().toLowerCase(Locale.ROOT);
        return new ActivityQuery(Numbers.whole("period", period, DEFAULT_DAYS), wanted, page);
    }

    /** The default question: the last week, everywhere. */
    public static ActivityQuery lastWeek() {
        return new ActivityQuery(DEFAULT_DAYS, null, new Page(0, Page.DEFAULT_MAX));
    }

    public boolean covers(String channelDomain) {
        return domain == null || channelDomain.equals(domain) || channelDomain.endsWith("." + domain);
    }
}
