package org.buddycloud.push.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.buddycloud.push.service.PushSettings;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The links in mails: confirm an address, unsubscribe it. Following a link (GET) only shows a button — mail
 * scanners open links — and the button (POST) acts; a mail client's one-click unsubscribe (RFC 8058) POSTs directly.
 * The token is the address's own secret; no login.
 */
@Path("/mail")
@Produces(MediaType.TEXT_HTML)
public class MailLinkResource {

    private final PushSettings settings;

    MailLinkResource(PushSettings settings) {
        this.settings = settings;
    }

    @GET
    @Path("confirm")
    @Operation(summary = "The page a confirmation link opens")
    public Response confirmPage(@QueryParam("token") String token) {
        return page("Confirm this address", "Get notifications by mail at this address?", "confirm", token, "Confirm");
    }

    @POST
    @Path("confirm")
    @Operation(summary = "Confirm the address of the token: it now gets the notices its settings ask for")
    public Response confirm(@QueryParam("token") String token) {
        return settings.confirmMail(token == null ? "" : token)
                .map(t -> html(200, "Confirmed", "Notifications for " + t.owner() + " will now come to this address."))
                .orElseGet(MailLinkResource::unknown);
    }

    @GET
    @Path("unsubscribe")
    @Operation(summary = "The page an unsubscribe link opens")
    public Response unsubscribePage(@QueryParam("token") String token) {
        return page("Unsubscribe", "Stop all notifications to this address?", "unsubscribe", token, "Unsubscribe");
    }

    @POST
    @Path("unsubscribe")
    @Operation(summary = "Unsubscribe the address of the token (RFC 8058 one-click too): nothing more is sent to it")
    public Response unsubscribe(@QueryParam("token") String token) {
        return settings.unsubscribeMail(token == null ? "" : token)
                .map(t -> html(200, "Unsubscribed", "Nothing more will be sent to this address."))
                .orElseGet(MailLinkResource::unknown);
    }

    private static Response page(String title, String question, String action, String token, String button) {
        if (token == null || token.isBlank()) {
            return unknown();
        }
        String form = "<form method=\"post\" action=\"" + action + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "\">"
                + "<button type=\"submit\">" + button + "</button></form>";
        return html(200, title, question + "</p>" + form + "<p>");
    }

    private static Response unknown() {
        return html(404, "Unknown link", "This link is not known here (any more).");
    }

    private static Response html(int status, String title, String text) {
        String body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title></head>"
                + "<body style=\"font-family: sans-serif\"><h1>" + title + "</h1><p>" + text + "</p></body></html>";
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(body).build();
    }
}
