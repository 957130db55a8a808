package org.buddycloud.push.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.push.delivery.FcmSender;
import org.buddycloud.push.delivery.WebPushSender;
import org.buddycloud.push.domain.PushTarget;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What a client needs to subscribe (the FCM project, the VAPID key) and what works here: public, no login. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PushInfoResource {

    private final FcmSender fcm;
    private final WebPushSender webPush;
    private final boolean mailToLog;

    PushInfoResource(FcmSender fcm, WebPushSender webPush, @ConfigProperty(name = "quarkus.mailer.mock", defaultValue = "false") boolean mailToLog) {
        this.fcm = fcm;
        this.webPush = webPush;
        this.mailToLog = mailToLog;
    }

    @GET
    @Path("notification_metadata")
    @Operation(summary = "The old metadata call: for type=gcm the Firebase project ({google_project_id}); for type=webpush the VAPID key")
    public Map<String, Object> metadata(@QueryParam("type") String type) {
        PushTarget.Type wanted = PushJson.type(type == null ? "gcm" : type);
        Map<String, Object> metadata = new LinkedHashMap<>();
        switch (wanted) {
            case FCM -> {
                metadata.put("google_project_id", fcm.projectId().orElse(null));
                metadata.put("configured", fcm.configured());
            }
            case WEB_PUSH -> metadata.put("vapid_public_key", webPush.publicKey());
            case EMAIL -> throw new DomainException(Condition.BAD_REQUEST, "mail has no metadata");
        }
        return metadata;
    }

    @GET
    @Path("vapid_public_key")
    @Operation(summary = "The VAPID public key, as PushManager.subscribe takes it (applicationServerKey, base64url)")
    public Map<String, String> vapidPublicKey() {
        return Map.of("publicKey", webPush.publicKey());
    }

    @GET
    @Path("status")
    @Operation(summary = "Which providers work here: FCM (configured or not), Web Push, mail (SMTP or the log)")
    public Map<String, Object> status() {
        Map<String, Object> fcmStatus = new LinkedHashMap<>();
        fcmStatus.put("configured", fcm.configured());
        fcm.projectId().ifPresent(id -> fcmStatus.put("projectId", id));
        if (!fcm.configured()) {
            fcmStatus.put("reason", "no Firebase service account (buddycloud.push.fcm.credentials)");
        }
        return Map.of("fcm", fcmStatus, "webPush", Map.of("configured", true, "publicKey", webPush.publicKey()),
                "mail", Map.of("configured", true, "delivery", mailToLog ? "log" : "smtp"));
    }
}
