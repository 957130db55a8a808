package org.buddycloud.servicekit.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.UUID;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.contracts.problem.Problem;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.servicekit.auth.ApiAuthMechanism;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where refusals become HTTP answers: an RFC 9457 problem+json body naming the
 * condition, the status from {@link Condition}, and the headers the status calls for
 * ({@code WWW-Authenticate} on 401, {@code Retry-After} on 429). Never a bare 500 for a client mistake.
 */
public class ProblemResponses {

    /** Attribute of an {@link AuthenticationFailedException} carrying a {@link Duration} when the login was throttled. */
    public static final String RETRY_AFTER = "buddycloud.retry-after";

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    private final ObjectMapper json;
    private final ApiAuthMechanism mechanism;
    private final Instance<SecurityIdentity> identity;

    ProblemResponses(ObjectMapper json, ApiAuthMechanism mechanism, Instance<SecurityIdentity> identity) {
        this.json = json;
        this.mechanism = mechanism;
        this.identity = identity;
    }

    /**
     * A refusal of the domain. {@code not-authorized} becomes 401 with a challenge for an anonymous
     * caller, but 403 for one who is logged in: new credentials would not help (PROTOCOL.md decision 9).
     */
    @ServerExceptionMapper
    public Response refused(DomainException e, UriInfo uri) {
        Problem problem = e.condition().toProblem(e.getMessage()).withAppCondition(e.appCondition().orElse(null));
        boolean challenge = e.condition() == Condition.NOT_AUTHORIZED && !authenticated();
        if (e.condition() == Condition.NOT_AUTHORIZED && !challenge) {
            problem = problem.withStatus(Condition.FORBIDDEN.httpStatus());
        }
        Response.ResponseBuilder response = problem(problem, uri);
        if (e instanceof RateLimitedException limited) {
            response.header("Retry-After", Math.max(1, limited.retryAfter().toSeconds()));
        }
        if (challenge) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, mechanism.challenge());
        }
        return response.build();
    }

    private boolean authenticated() {
        try {
            return !identity.get().isAnonymous();
        } catch (RuntimeException e) {
            return false; // the credentials themselves were refused
        }
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        Object retryAfter = e.getAttributes().get(RETRY_AFTER);
        if (retryAfter instanceof Duration wait) {
            return refused(new RateLimitedException("too many failed logins; try again later", wait), uri);
        }
        return unauthorized(e.getMessage() == null ? "invalid credentials" : e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorized("authentication required: send an access token as 'Authorization: Bearer <token>'", uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(Condition.FORBIDDEN.toProblem("you may not do this"), uri).build();
    }

    @ServerExceptionMapper
    public Response invalidJid(InvalidJidException e, UriInfo uri) {
        return problem(Condition.BAD_REQUEST.toProblem(e.getMessage()).withAppCondition(AppCondition.INVALID_JID), uri).build();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        return problem(Condition.BAD_REQUEST.toProblem("malformed JSON: " + e.getOriginalMessage()), uri).build();
    }

    /**
     * Well-formed JSON of the wrong shape (an object where a list belongs, text for a number). Named
     * on its own because Quarkus maps this exact type itself, to a bare 400.
     */
    @ServerExceptionMapper
    public Response wrongJsonShape(MismatchedInputException e, UriInfo uri) {
        String at = e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining("."));
        return problem(Condition.BAD_REQUEST.toProblem("the JSON body does not have the expected shape"
                + (at.isEmpty() ? "" : " at " + at)), uri).build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, uri);
        }
        if (e.getCause() instanceof JsonProcessingException malformed) {
            return malformedJson(malformed, uri);
        }
        Response.ResponseBuilder response = problem(Condition.forHttpStatus(status).toProblem(e.getMessage()), uri)
                .status(status);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper
    public Response internal(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        if (clientWentAway(e)) {
            // a client hanging up mid-request is the client's business; nobody reads this answer
            LOG.debugf("client went away during %s: %s", uri.getPath(), e.getMessage());
            return problem(Condition.BAD_REQUEST.toProblem("the connection was closed before the request was complete"), uri).build();
        }
        LOG.errorf(e, "unexpected error %s on %s", reference, uri.getPath());
        return problem(Condition.INTERNAL_SERVER_ERROR.toProblem("an unexpected error occurred (reference " + reference + ")"), uri)
                .build();
    }

    private Response unauthorized(String detail, UriInfo uri) {
        return problem(Condition.NOT_AUTHORIZED.toProblem(detail), uri)
                .header(HttpHeaders.WWW_AUTHENTICATE, mechanism.challenge())
                .build();
    }

    private Response.ResponseBuilder problem(Problem problem, UriInfo uri) {
        String body;
        try {
            body = json.writeValueAsString(problem.withInstance(uri.getPath()));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + problem.status() + "}";
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(body);
    }

    private static boolean clientWentAway(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.vertx.core.http.HttpClosedException) {
                return true;
            }
        }
        return false;
    }
}
