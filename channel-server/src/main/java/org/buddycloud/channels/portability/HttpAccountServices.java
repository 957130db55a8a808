package org.buddycloud.channels.portability;

import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.token.TokenService;
import org.buddycloud.contracts.jid.Jid;

/**
 * {@link AccountServices} over the services' public HTTP APIs, each request with a short-lived token of the account
 * made for it (the channel server issues tokens; no service trusts another more than it trusts the user).
 */
@ApplicationScoped
public class HttpAccountServices implements AccountServices {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final PortabilityConfig config;
    private final TokenService tokens;
    private final AccountStore accounts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpAccountServices(PortabilityConfig config, TokenService tokens, AccountStore accounts) {
        this.config = config;
        this.tokens = tokens;
        this.accounts = accounts;
    }

    @Override
    public boolean hasMedia() {
        return config.mediaUrl().isPresent();
    }

    @Override
    public List<MediaFile> mediaPage(Jid account, Jid channel, String after, int max) throws IOException {
        if (config.mediaUrl().isEmpty()) {
            return List.of();
        }
        String query = "?max=" + max + (after == null ? "" : "&after=" + encode(after));
        HttpResponse<byte[]> response = send(account, get(config.mediaUrl().get(), "/" + encode(channel.toString()) + query),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404 || response.statusCode() == 403) {
            return List.of(); // no media here (or none the account may read: not its to take)
        }
        expect(response, 200, "list the files of " + channel);
        List<MediaJson> page = ArchiveJson.MAPPER.readValue(response.body(), new TypeReference<List<MediaJson>>() { });
        return page.stream().map(m -> new MediaFile(m.id(), m.fileName(), m.title(), m.description(), m.mimeType(),
                m.fileSize(), m.sha256())).toList();
    }

    @Override
    public Optional<String> avatarId(Jid account, Jid channel) throws IOException {
        if (config.mediaUrl().isEmpty()) {
            return Optional.empty();
        }
        HttpResponse<byte[]> response = send(account, get(config.mediaUrl().get(), "/" + encode(channel.toString()) + "/avatar/metadata"),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect(response, 200, "read the avatar of " + channel);
        return Optional.ofNullable(ArchiveJson.MAPPER.readValue(response.body(), MediaJson.class).id());
    }

    @Override
    public InputStream download(Jid account, Jid channel, String id) throws IOException {
        HttpResponse<InputStream> response = send(account,
                get(requireMedia(), "/" + encode(channel.toString()) + "/" + encode(id)), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("the media server answered " + response.statusCode() + " for " + channel + "/" + id);
        }
        return response.body();
    }

    @Override
    public String upload(Jid account, Jid channel, MediaFile file, boolean avatar, InputStream bytes) throws IOException {
        String boundary = "buddycloud-" + UUID.randomUUID();
        StringBuilder fields = new StringBuilder();
        field(fields, boundary, "filename", file.fileName());
        field(fields, boundary, "title", file.title());
        field(fields, boundary, "description", file.description());
        field(fields, boundary, "content-type", file.contentType());
        field(fields, boundary, "content-length", Long.toString(file.size()));
        fields.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(quoted(file.fileName())).append("\"\r\nContent-Type: ")
                .append(file.contentType() == null ? "application/octet-stream" : file.contentType()).append("\r\n\r\n");
        byte[] head = fields.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        InputStream body = new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(head), bytes,
                new ByteArrayInputStream(tail))));
        String path = "/" + encode(channel.toString()) + (avatar ? "/avatar" : "");
        HttpRequest.Builder request = HttpRequest.newBuilder(config.mediaUrl().orElseThrow().resolve(path)).timeout(Duration.ofMinutes(10))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary);
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> body), head.length + file.size() + tail.length);
        request = avatar ? request.PUT(publisher) : request.POST(publisher);
        HttpResponse<byte[]> response = send(account, request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("the media server refused " + file.fileName() + " for " + channel + ": " + response.statusCode()
                    + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return ArchiveJson.MAPPER.readValue(response.body(), MediaJson.class).id();
    }

    @Override
    public Optional<byte[]> notificationSettings(Jid account) throws IOException {
        if (config.pushUrl().isEmpty()) {
            return Optional.empty();
        }
        HttpResponse<byte[]> response = send(account, get(config.pushUrl().get(), "/notification_settings"),
                HttpResponse.BodyHandlers.ofByteArray());
        expect(response, 200, "read the notification settings");
        return Optional.of(response.body());
    }

    @Override
    public void restoreNotificationSetting(Jid account, byte[] setting) throws IOException {
        if (config.pushUrl().isEmpty()) {
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(config.pushUrl().get().resolve("/notification_settings")).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(setting));
        expect(send(account, request, HttpResponse.BodyHandlers.ofByteArray()), 200, "restore a notification setting");
    }

    @Override
    public Optional<byte[]> claims(Jid account) throws IOException {
        if (config.friendsUrl().isEmpty()) {
            return Optional.empty();
        }
        HttpResponse<byte[]> response = send(account, get(config.friendsUrl().get(), "/claims"), HttpResponse.BodyHandlers.ofByteArray());
        expect(response, 200, "read the friend-finding claims");
        return Optional.of(response.body());
    }

    private URI requireMedia() {
        return config.mediaUrl().orElseThrow(() -> new IllegalStateException("no media server is configured"));
    }

    private static HttpRequest.Builder get(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json").GET();
    }

    private <T> HttpResponse<T> send(Jid account, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws IOException {
        String token = tokens.delegated(accounts.find(account)
                .orElseThrow(() -> new IOException("the account " + account + " is gone")), "portability");
        HttpRequest built = request.header("Authorization", "Bearer " + token).build();
        try {
            return http.send(built, body);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach " + built.uri().getHost() + ":" + built.uri().getPort() + " (" + built.uri().getPath() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<byte[]> response, int status, String what) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException("cannot " + what + ": " + response.uri().getHost() + " answered " + response.statusCode());
        }
    }

    private static void field(StringBuilder out, String boundary, String name, String value) {
        if (value != null) {
            out.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(name)
                    .append("\"\r\n\r\n").append(value).append("\r\n");
        }
    }

    private static String quoted(String text) {
        return text == null ? "file" : text.replace("\"", "'").replace("\r", " ").replace("\n", " ");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The fields of the media server's answers this needs. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record MediaJson(String id, String fileName, String title, String description, String mimeType, long fileSize, String sha256) {
    }
}
