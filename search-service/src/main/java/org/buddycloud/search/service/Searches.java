package org.buddycloud.search.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.search.domain.ActivityQuery;
import org.buddycloud.search.domain.ChannelActivity;
import org.buddycloud.search.domain.ChannelHit;
import org.buddycloud.search.domain.ChannelQuery;
import org.buddycloud.search.domain.Hits;
import org.buddycloud.search.domain.IndexUnavailableException;
import org.buddycloud.search.domain.NearbyQuery;
import org.buddycloud.search.domain.PostHit;
import org.buddycloud.search.domain.PostQuery;
import org.buddycloud.search.domain.ReadFilter;
import org.buddycloud.search.domain.Readers;
import org.buddycloud.search.domain.SearchIndex;
import org.buddycloud.servicekit.readmodel.ChannelAccessStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every search, whichever way it came (REST or XMPP): the caller's standings from the channel read model, the shared
 * access rule made into a filter, then the index.
 */
@ApplicationScoped
public class Searches {

    private final SearchIndex index;
    private final ChannelAccessStore channels;
    private final Readers readers;
    private final Clock clock;

    Searches(SearchIndex index, ChannelAccessStore channels, Clock clock,
             @ConfigProperty(name = "buddycloud.domain", defaultValue = "localhost") String domain) {
        this.index = index;
        this.channels = channels;
        this.clock = clock;
        this.readers = new Readers(new Permissions(domain));
    }

    /** Posts; {@code followedOnly} keeps to the channels the caller follows (none for an anonymous caller). */
    public Hits<PostHit> posts(Actor caller, PostQuery query, boolean followedOnly) {
        List<Readers.Standings> standings = standings(caller);
        ReadFilter filter = readers.filterFor(caller, standings);
        PostQuery asked = followedOnly
                ? new PostQuery(query.text(), query.order(), query.author(), query.channel(), Readers.followed(standings), query.page())
                : query;
        return answered(() -> index.posts(asked, filter));
    }

    public Hits<ChannelHit> channels(Actor caller, ChannelQuery query) {
        ReadFilter filter = filterFor(caller);
        return answered(() -> index.channels(query, filter));
    }

    public Hits<ChannelHit> nearby(Actor caller, NearbyQuery query) {
        ReadFilter filter = filterFor(caller);
        return answered(() -> index.nearby(query, filter));
    }

    public List<ChannelActivity> mostActive(Actor caller, ActivityQuery query) {
        ReadFilter filter = filterFor(caller);
        return answered(() -> index.mostActive(query, filter));
    }

    public java.time.Instant now() {
        return clock.instant();
    }

    /** An index that does not answer now is the service's to admit (503, service-unavailable), not a failure of the caller's. */
    private static <T> T answered(java.util.function.Supplier<T> search) {
        try {
            return search.get();
        } catch (IndexUnavailableException e) {
            throw new DomainException(Condition.SERVICE_UNAVAILABLE, "the search index does not answer now; try again shortly");
        }
    }

    private ReadFilter filterFor(Actor caller) {
        return readers.filterFor(caller, standings(caller));
    }

    private List<Readers.Standings> standings(Actor caller) {
        if (caller.anonymous()) {
            return List.of();
        }
        Jid jid = caller.jid();
        return channels.memberships(jid).stream()
                .map(m -> new Readers.Standings(m.channel(), m.standing())).toList();
    }
}
