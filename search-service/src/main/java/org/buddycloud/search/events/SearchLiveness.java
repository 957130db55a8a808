package org.buddycloud.search.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.search.domain.SearchIndex;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down when the index broke for good in this process (Lucene's writer closed by a tragic error, a full disk say): the
 * feed would retry for ever, and a restart — which reopens the index at its last commit — is what helps.
 */
@Liveness
@ApplicationScoped
public class SearchLiveness implements HealthCheck {

    private final SearchIndex index;

    SearchLiveness(SearchIndex index) {
        this.index = index;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("search index").status(index.alive()).withData("engine", index.engine()).build();
    }
}
