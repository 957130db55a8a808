package org.buddycloud.push.delivery;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.util.Optional;
import java.util.UUID;
import org.buddycloud.push.domain.DeliveryOutcome;
import org.buddycloud.push.domain.PushMessage;
import org.buddycloud.push.service.PushConfig;
import org.jboss.logging.Logger;

/**
 * FCM through Google's Firebase Admin SDK (the HTTP v1 API), with the service account of
 * {@code buddycloud.push.fcm.credentials}. Without one FCM is "not configured": the status and readiness say so,
 * deliveries to FCM tokens are refused with that reason, and everything else works. {@code buddycloud.push.fcm.endpoint}
 * sends every request for Google's APIs (FCM, and OAuth for the access token) to another address instead: a
 * proxy, or a test's stand-in for Google's cloud at the HTTP boundary — the SDK itself is the real one.
 */
@ApplicationScoped
public class FcmSender {

    private static final Logger LOG = Logger.getLogger(FcmSender.class);

    private final Optional<FirebaseApp> app;
    private final Optional<FirebaseMessaging> messaging;
    private final Optional<String> projectId;

    FcmSender(PushConfig config) {
        this.app = config.fcm().credentials().map(path -> start(path, config.fcm()));
        this.messaging = app.map(FirebaseMessaging::getInstance);
        // the configured project, else the service account's own (what the SDK sends to)
        this.projectId = app.map(com.google.firebase.ImplFirebaseTrampolines::getProjectId);
        if (app.isEmpty()) {
            LOG.info("FCM is not configured (no buddycloud.push.fcm.credentials): FCM tokens are kept, nothing is sent to them");
        }
    }

    public boolean configured() {
        return messaging.isPresent();
    }

    /** The Firebase project FCM messages go through (clients need its sender id), when configured. */
    public Optional<String> projectId() {
        return projectId;
    }

    public DeliveryOutcome send(String token, PushMessage message, int count) {
        if (messaging.isEmpty()) {
            return DeliveryOutcome.refused("FCM is not configured on this push server");
        }
        try {
            messaging.get().send(message(token, message, count));
            return DeliveryOutcome.delivered();
        } catch (FirebaseMessagingException e) {
            return outcome(e);
        } catch (IllegalArgumentException e) {
            // the SDK's own check of the message (an empty token, say): the device cannot be told anything
            return DeliveryOutcome.targetGone("FCM refused the token: " + e.getMessage());
        }
    }

    /** What FCM's answer means for the device (FCM v1 error codes). */
    static DeliveryOutcome outcome(FirebaseMessagingException e) {
        MessagingErrorCode code = e.getMessagingErrorCode();
        String error = "FCM " + (code != null ? code : e.getErrorCode()) + ": " + e.getMessage();
        if (code == MessagingErrorCode.UNREGISTERED || code == MessagingErrorCode.INVALID_ARGUMENT
                || code == MessagingErrorCode.SENDER_ID_MISMATCH) {
            return DeliveryOutcome.targetGone(error);
        }
        if (code == MessagingErrorCode.THIRD_PARTY_AUTH_ERROR) {
            return DeliveryOutcome.refused(error);
        }
        // QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL, and what the SDK could not classify (a network error)
        return DeliveryOutcome.retry(error);
    }

    /**
     * A notification (title, body) with the same data for apps that draw their own, collapsed per user and
     * channel on Android ({@code collapse_key}) and iOS ({@code apns-collapse-id}).
     */
    static Message message(String token, PushMessage message, int count) {
        Message.Builder builder = Message.builder()
                .setToken(token)
                .setNotification(Notification.builder().setTitle(message.title()).setBody(message.body().isEmpty() ? null : message.body()).build())
                .putData("event", message.kind().name().toLowerCase(java.util.Locale.ROOT))
                .putData("channel", message.channel().toString())
                .putData("count", Integer.toString(count))
                .setAndroidConfig(AndroidConfig.builder().setCollapseKey(message.collapseKey()).build())
                .setApnsConfig(ApnsConfig.builder().putHeader("apns-collapse-id", message.collapseKey())
                        .setAps(Aps.builder().setThreadId(message.collapseKey()).build()).build());
        if (message.itemId() != null) {
            builder.putData("item", message.itemId());
        }
        return builder.build();
    }

    void stop(@Observes ShutdownEvent event) {
        app.ifPresent(FirebaseApp::delete);
    }

    private static FirebaseApp start(java.nio.file.Path credentials, PushConfig.Fcm config) {
        NetHttpTransport transport = config.endpoint().map(FcmSender::redirectedTransport).orElseGet(NetHttpTransport::new);
        try (InputStream in = Files.newInputStream(credentials)) {
            FirebaseOptions.Builder options = FirebaseOptions.builder()
                    .setCredentials(GoogleCredentials.fromStream(in, () -> transport))
                    .setHttpTransport(transport)
                    .setConnectTimeout(10_000)
                    .setReadTimeout(10_000);
            config.projectId().ifPresent(options::setProjectId);
            return FirebaseApp.initializeApp(options.build(), "buddycloud-push-" + UUID.randomUUID());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the FCM service account " + credentials, e);
        }
    }

    /** A transport that sends what is meant for {@code *.googleapis.com} to {@code endpoint}, path and query kept. */
    private static NetHttpTransport redirectedTransport(URI endpoint) {
        return new NetHttpTransport.Builder().setConnectionFactory(url -> {
            URL target = url.getHost().endsWith(".googleapis.com")
                    ? endpoint.resolve(url.getFile().startsWith("/") ? url.getFile() : "/" + url.getFile()).toURL()
                    : url;
            return (HttpURLConnection) target.openConnection();
        }).build();
    }
}
