package org.buddycloud.push.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.push.domain.PushPreferences;
import org.buddycloud.push.domain.QuietHours;
import org.buddycloud.push.service.PushSettings;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The caller's own choices whatever the target: muted channels, quiet hours, the mail digest, post text. */
@Path("/notification_preferences")
@Produces(MediaType.APPLICATION_JSON)
public class PreferencesResource {

    private static final int MAX_MUTED = 10_000;

    private final PushSettings settings;
    private final SecurityIdentity identity;

    PreferencesResource(PushSettings settings, SecurityIdentity identity) {
        this.settings = settings;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The caller's preferences")
    public PushJson.Preferences get() {
        return json(settings.preferences(Caller.of(identity)));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the preferences given (absent fields stay; quietHours null turns them off)")
    public PushJson.Preferences put(com.fasterxml.jackson.databind.JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new DomainException(Condition.BAD_REQUEST, "send {mutedChannels, quietHours: {from, until, timeZone} | null, "
                    + "digest: off|hourly|daily, postTextThroughProviders}");
        }
        Jid owner = Caller.of(identity);
        PushPreferences now = settings.preferences(owner);
        Set<Jid> muted = body.has("mutedChannels") ? muted(body.get("mutedChannels")) : now.mutedChannels();
        Optional<QuietHours> quiet = body.has("quietHours") ? quietHours(body.get("quietHours")) : now.quietHours();
        PushPreferences.Digest digest = body.has("digest") ? digest(body.get("digest").asText()) : now.digest();
        boolean postText = body.has("postTextThroughProviders") ? bool(body.get("postTextThroughProviders")) : now.postTextThroughProviders();
        PushPreferences changed = new PushPreferences(muted, quiet, digest, postText);
        settings.savePreferences(owner, changed);
        return json(changed);
    }

    @PUT
    @Path("/muted/{channel}")
    @Operation(summary = "Mute a channel: nothing about it is pushed or mailed")
    public Response mute(@PathParam("channel") String channel) {
        settings.mute(Caller.of(identity), Jid.parse(channel).toBare());
        return Response.noContent().build();
    }

    @DELETE
    @Path("/muted/{channel}")
    @Operation(summary = "Unmute a channel")
    public Response unmute(@PathParam("channel") String channel) {
        if (!settings.unmute(Caller.of(identity), Jid.parse(channel).toBare())) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "that channel is not muted");
        }
        return Response.noContent().build();
    }

    private static PushJson.Preferences json(PushPreferences p) {
        return new PushJson.Preferences(p.mutedChannels().stream().map(Jid::toString).sorted().toList(),
                p.quietHours().map(q -> new PushJson.QuietHours(q.from().toString(), q.until().toString(), q.zone().getId())).orElse(null),
                p.digest().name().toLowerCase(Locale.ROOT), p.postTextThroughProviders());
    }

    private static Set<Jid> muted(com.fasterxml.jackson.databind.JsonNode list) {
        if (!list.isArray() || list.size() > MAX_MUTED) {
            throw new DomainException(Condition.BAD_REQUEST, "mutedChannels is a list of at most " + MAX_MUTED + " channel JIDs");
        }
        Set<Jid> channels = new HashSet<>();
        list.forEach(node -> channels.add(Jid.parse(node.asText()).toBare()));
        return channels;
    }

    private static Optional<QuietHours> quietHours(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject() || !node.hasNonNull("from") || !node.hasNonNull("until") || !node.hasNonNull("timeZone")) {
            throw new DomainException(Condition.BAD_REQUEST, "quietHours is {from: \"22:00\", until: \"07:00\", timeZone: \"Europe/Berlin\"} or null");
        }
        try {
            return Optional.of(new QuietHours(LocalTime.parse(node.get("from").asText()), LocalTime.parse(node.get("until").asText()),
                    ZoneId.of(node.get("timeZone").asText())));
        } catch (DateTimeParseException e) {
            throw new DomainException(Condition.BAD_REQUEST, "quiet hours are times of day such as 22:00");
        } catch (DateTimeException e) {
            throw new DomainException(Condition.BAD_REQUEST, "unknown time zone: " + PushJson.abbreviate(node.get("timeZone").asText()));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, e.getMessage());
        }
    }

    private static PushPreferences.Digest digest(String name) {
        try {
            return PushPreferences.Digest.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "digest is off, hourly or daily");
        }
    }

    private static boolean bool(com.fasterxml.jackson.databind.JsonNode node) {
        if (!node.isBoolean()) {
            throw new DomainException(Condition.BAD_REQUEST, "postTextThroughProviders is true or false");
        }
        return node.booleanValue();
    }

}
