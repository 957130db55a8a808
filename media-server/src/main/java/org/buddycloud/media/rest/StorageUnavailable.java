package org.buddycloud.media.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.media.storage.StorageException;
import org.buddycloud.servicekit.web.ProblemResponses;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Object storage failing is the server's trouble, not the client's: 503 with a problem body. */
public class StorageUnavailable {

    private static final Logger LOG = Logger.getLogger(StorageUnavailable.class);

    private final ProblemResponses problems;

    StorageUnavailable(ProblemResponses problems) {
        this.problems = problems;
    }

    @ServerExceptionMapper
    public Response unavailable(StorageException e, UriInfo uri) {
        LOG.warnf("object storage failed: %s", e.getMessage());
        return problems.refused(new DomainException(Condition.SERVICE_UNAVAILABLE, "file storage is unavailable; try again shortly"), uri);
    }
}
