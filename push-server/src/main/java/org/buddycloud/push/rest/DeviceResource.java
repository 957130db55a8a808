package org.buddycloud.push.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.push.domain.PushKind;
import org.buddycloud.push.domain.PushTarget;
import org.buddycloud.push.service.PushSettings;
import org.buddycloud.push.store.StoredTarget;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The caller's devices (FCM tokens, Web Push subscriptions) with how delivering to each went. */
@Path("/devices")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {

    private final PushSettings settings;
    private final SecurityIdentity identity;

    DeviceResource(PushSettings settings, SecurityIdentity identity) {
        this.settings = settings;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The caller's devices: last success, last error, deliveries waiting")
    public List<PushJson.Device> list() {
        Jid owner = Caller.of(identity);
        Map<Long, Integer> waiting = settings.waiting(owner);
        return settings.targets(owner, java.util.Optional.empty(), java.util.Optional.empty()).stream()
                .filter(t -> t.target().type() != PushTarget.Type.EMAIL)
                .map(t -> PushJson.Device.of(t, waiting.getOrDefault(t.id(), 0))).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's devices")
    public PushJson.Device get(@PathParam("id") long id) {
        Jid owner = Caller.of(identity);
        StoredTarget device = settings.target(owner, id).filter(t -> t.target().type() != PushTarget.Type.EMAIL)
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no such device"));
        return PushJson.Device.of(device, settings.waiting(owner).getOrDefault(id, 0));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an FCM token {type: fcm, token} or a Web Push subscription {type: webpush, subscription: PushSubscription.toJSON()}")
    public Response register(PushJson.DeviceRegistration body, UriInfo uri) {
        if (body == null) {
            throw new DomainException(Condition.BAD_REQUEST, "send {type: fcm, token} or {type: webpush, subscription: {endpoint, keys: {p256dh, auth}}}");
        }
        Jid owner = Caller.of(identity);
        Map<PushKind.Setting, Boolean> switches = body.settings() == null ? Map.of() : body.settings().changes();
        StoredTarget device = switch (PushJson.type(body.type())) {
            case FCM -> settings.registerFcm(owner, body.token(), switches);
            case WEB_PUSH -> {
                PushJson.Subscription s = body.subscription();
                if (s == null || s.endpoint() == null || s.keys() == null) {
                    throw new DomainException(Condition.BAD_REQUEST, "a Web Push device needs subscription: {endpoint, keys: {p256dh, auth}}");
                }
                yield settings.registerWebPush(owner, s.endpoint(), s.keys().p256dh(), s.keys().auth(), switches);
            }
            case EMAIL -> throw new DomainException(Condition.BAD_REQUEST, "mail addresses are added at POST /notification_settings");
        };
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(device.id())).build())
                .entity(PushJson.Device.of(device, 0)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove one of the caller's devices")
    public Response delete(@PathParam("id") long id) {
        if (!settings.deleteTarget(Caller.of(identity), id)) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no such device");
        }
        return Response.noContent().build();
    }
}
