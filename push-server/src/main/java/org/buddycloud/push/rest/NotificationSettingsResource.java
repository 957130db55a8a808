package org.buddycloud.push.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.push.domain.PushTarget;
import org.buddycloud.push.service.PushSettings;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The old buddycloud HTTP API's {@code /notification_settings} (PROTOCOL.md §2, §4): one entry per target (an FCM
 * token as {@code gcm}, a Web Push endpoint as {@code webpush}, a mail address as {@code email}) with its switches.
 */
@Path("/notification_settings")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationSettingsResource {

    private final PushSettings settings;
    private final SecurityIdentity identity;

    NotificationSettingsResource(PushSettings settings, SecurityIdentity identity) {
        this.settings = settings;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The caller's targets and their switches, optionally of one type and target")
    public List<PushJson.Settings> get(@QueryParam("type") String type, @QueryParam("target") String target) {
        return settings.targets(Caller.of(identity), PushJson.optionalType(type), Optional.ofNullable(target)).stream()
                .map(PushJson.Settings::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the given switches of a target, adding an FCM token or a mail address (which is asked to confirm) if new")
    public List<PushJson.Settings> set(PushJson.Settings body) {
        if (body == null || body.target() == null || body.target().isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "send {type, target[, postAfterMe, postMentionedMe, postOnMyChannel, "
                    + "postOnSubscribedChannel, followMyChannel, followRequest]}");
        }
        PushTarget.Type type = PushJson.type(body.type());
        return List.of(PushJson.Settings.of(settings.configure(Caller.of(identity), type, body.target().trim(), body.changes())));
    }

    @DELETE
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Remove the caller's targets of a type and/or with a target (all of them when neither is given)")
    public Map<String, Integer> delete(PushJson.Removal body, @QueryParam("type") String type, @QueryParam("target") String target) {
        String wantedType = body != null && body.type() != null ? body.type() : type;
        String wantedTarget = body != null && body.target() != null ? body.target() : target;
        int removed = settings.deleteTargets(Caller.of(identity), PushJson.optionalType(wantedType), Optional.ofNullable(wantedTarget));
        return Map.of("removed", removed);
    }
}
