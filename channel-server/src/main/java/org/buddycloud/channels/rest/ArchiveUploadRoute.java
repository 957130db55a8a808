package org.buddycloud.channels.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.Locale;
import org.buddycloud.channels.portability.ArchiveWork;
import org.buddycloud.channels.portability.ImportJobs;
import org.buddycloud.channels.portability.PortabilityConfig;
import org.buddycloud.contracts.auth.InvalidTokenException;
import org.buddycloud.contracts.auth.TokenVerifier;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.contracts.problem.Problem;
import org.jboss.logging.Logger;

/**
 * {@code POST /account/imports}: an archive uploaded as the request body ({@code application/zip}), streamed to the
 * spool as it arrives. It is routed ahead of the server's body limit (1 MB for the rest of the API, which parses what
 * it takes in memory) and keeps a limit of its own, {@code buddycloud.portability.max-archive-bytes}; so it checks the
 * caller's token itself, with the same verifier as every other request, before it reads a byte.
 */
@ApplicationScoped
public class ArchiveUploadRoute {

    private static final Logger LOG = Logger.getLogger(ArchiveUploadRoute.class);

    private final ArchiveWork work;
    private final TokenVerifier verifier;
    private final PortabilityConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;

    ArchiveUploadRoute(ArchiveWork work, TokenVerifier verifier, PortabilityConfig config, ObjectMapper json, Vertx vertx) {
        this.work = work;
        this.verifier = verifier;
        this.config = config;
        this.json = json;
        this.vertx = vertx;
    }

    void install(@Observes Router router) {
        router.post("/account/imports").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::accountUpload);
        router.post(DomainArchiveResource.IMPORTS).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::domainUpload);
    }

    private void accountUpload(RoutingContext context) {
        HttpServerRequest request = context.request();
        request.pause();
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(context, new DomainException(Condition.NOT_AUTHORIZED, "log in: an import needs a bearer token"));
            return;
        }
        if (!acceptable(context)) {
            return;
        }
        vertx.<Jid>executeBlocking(() -> verifier.verify(authorization.substring(7).trim()).subject(), false).onComplete(verified -> {
            if (verified.failed()) {
                refuse(context, verified.cause() instanceof InvalidTokenException invalid
                        ? new DomainException(Condition.NOT_AUTHORIZED, "invalid access token: " + invalid.getMessage())
                        : new DomainException(Condition.SERVICE_UNAVAILABLE, "cannot check the token now; try again"));
                return;
            }
            Jid account = verified.result();
            receive(context, spool -> work.startImport(account, spool));
        });
    }

    /** An operator's domain archive, with the operator token instead of an account's. */
    private void domainUpload(RoutingContext context) {
        context.request().pause();
        try {
            DomainArchiveResource.requireOperator(config, context.request().getHeader(DomainArchiveResource.OPERATOR_HEADER));
        } catch (DomainException e) {
            refuse(context, e);
            return;
        }
        if (acceptable(context)) {
            receive(context, work::startDomainImport);
        }
    }

    /** Refuses (and answers false for) a body that is no ZIP or says it is larger than taken. */
    private boolean acceptable(RoutingContext context) {
        String type = context.request().getHeader("Content-Type");
        if (type == null || !(type.toLowerCase(Locale.ROOT).startsWith("application/zip")
                || type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream"))) {
            refuse(context, new DomainException(Condition.BAD_REQUEST, "send the archive as the body, Content-Type: application/zip"), 415);
            return false;
        }
        String length = context.request().getHeader("Content-Length");
        if (length != null && parsedLength(length) > config.maxArchiveBytes()) {
            refuse(context, new DomainException(Condition.PAYLOAD_TOO_BIG, "archives of at most " + config.maxArchiveBytes()
                    + " bytes are taken here"));
            return false;
        }
        return true;
    }

    /** Streams the body to a spool file, then checks and starts the import off the event loop. */
    private void receive(RoutingContext context, java.util.function.Function<Path, ImportJobs.Import> start) {
        HttpServerRequest request = context.request();
        Path spool;
        try {
            spool = work.spool();
        } catch (RuntimeException e) {
            refuse(context, new DomainException(Condition.SERVICE_UNAVAILABLE, "no room for the archive: " + e.getMessage()));
            return;
        }
        vertx.fileSystem().open(spool.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true)).onComplete(opened -> {
            if (opened.failed()) {
                refuse(context, new DomainException(Condition.SERVICE_UNAVAILABLE, "no room for the archive"));
                return;
            }
            AsyncFile file = opened.result();
            long[] received = {0};
            boolean[] refused = {false};
            request.handler(buffer -> {
                received[0] += buffer.length();
                if (received[0] > config.maxArchiveBytes()) {
                    if (!refused[0]) {
                        refused[0] = true;
                        file.close();
                        ArchiveWork.deleteQuietly(spool);
                        refuse(context, new DomainException(Condition.PAYLOAD_TOO_BIG, "archives of at most "
                                + config.maxArchiveBytes() + " bytes are taken here"));
                        request.connection().close();
                    }
                    return;
                }
                file.write(buffer);
                if (file.writeQueueFull()) {
                    request.pause();
                    file.drainHandler(ignored -> request.resume());
                }
            });
            request.exceptionHandler(error -> {
                file.close();
                ArchiveWork.deleteQuietly(spool);
            });
            request.endHandler(ignored -> {
                if (refused[0]) {
                    return;
                }
                file.close().onComplete(closed -> vertx.<ImportJobs.Import>executeBlocking(() -> start.apply(spool), false)
                        .onComplete(started -> {
                            if (started.failed()) {
                                refuse(context, started.cause() instanceof DomainException domain ? domain
                                        : unexpected(started.cause()));
                                return;
                            }
                            respond(context, 202, ArchiveResourceJson.of(started.result()), "application/json");
                        }));
            });
            if ("100-continue".equalsIgnoreCase(request.getHeader("Expect")) && request.version() != HttpVersion.HTTP_1_0) {
                context.response().writeContinue();
            }
            request.resume();
        });
    }

    private static DomainException unexpected(Throwable cause) {
        LOG.warnf(cause, "an import could not start");
        return new DomainException(Condition.INTERNAL_SERVER_ERROR, "the import could not start");
    }

    private static long parsedLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private void refuse(RoutingContext context, DomainException e) {
        refuse(context, e, e.condition().httpStatus());
    }

    private void refuse(RoutingContext context, DomainException e, int status) {
        Problem problem = e.condition().toProblem(e.getMessage()).withStatus(status).withInstance(context.request().path());
        if (status == 401) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"buddycloud\"");
        }
        respond(context, status, problem, Problem.MEDIA_TYPE);
    }

    private void respond(RoutingContext context, int status, Object body, String type) {
        if (context.response().ended()) {
            return;
        }
        try {
            context.response().setStatusCode(status).putHeader("Content-Type", type).end(json.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            context.response().setStatusCode(500).end();
        }
    }

    /** The import as {@code GET /account/imports/{id}} shows it. */
    private static final class ArchiveResourceJson {
        static ArchiveResource.ImportJson of(ImportJobs.Import i) {
            return new ArchiveResource.ImportJson(i.id().toString(), i.state(), i.source(), i.archiveId().toString(), i.done(), i.total(),
                    null, i.createdAt(), i.finishedAt(), i.error());
        }
    }
}
