package org.buddycloud.push.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.buddycloud.push.domain.DeliveryOutcome;
import org.buddycloud.push.domain.PushMessage;
import org.buddycloud.push.service.PushConfig;
import org.buddycloud.push.store.Delivery;

/**
 * Mail through the Quarkus Mailer (SMTP; in the embedded default, the log), from HTML and text templates. Mail
 * about the address itself (the welcome, a confirmation) carries its confirm link; every other mail carries the
 * address's unsubscribe link, in the text and as {@code List-Unsubscribe} with one-click (RFC 8058).
 */
@ApplicationScoped
public class MailSender {

    private final Mailer mailer;
    private final PushConfig config;
    private final Template noticeHtml;
    private final Template noticeText;
    private final Template digestHtml;
    private final Template digestText;
    private final Template confirmHtml;
    private final Template confirmText;

    MailSender(Mailer mailer, PushConfig config,
               @Location("mail/notice.html") Template noticeHtml, @Location("mail/notice.txt") Template noticeText,
               @Location("mail/digest.html") Template digestHtml, @Location("mail/digest.txt") Template digestText,
               @Location("mail/confirm.html") Template confirmHtml, @Location("mail/confirm.txt") Template confirmText) {
        this.mailer = mailer;
        this.config = config;
        this.noticeHtml = noticeHtml;
        this.noticeText = noticeText;
        this.digestHtml = digestHtml;
        this.digestText = digestText;
        this.confirmHtml = confirmHtml;
        this.confirmText = confirmText;
    }

    /** One mail about one notice (or a collapsed burst). */
    public DeliveryOutcome send(Delivery.Target to, PushMessage message, int count) {
        if (message.kind().isAboutTheAddress()) {
            Map<String, Object> data = Map.of("message", message, "confirmUrl", link("confirm", to.mailToken()),
                    "welcome", message.kind() == org.buddycloud.push.domain.PushKind.WELCOME, "jid", message.recipient().toString());
            return deliver(Mail.withHtml(to.address(), message.title(), confirmHtml.data(data).render())
                    .setText(confirmText.data(data).render()));
        }
        Map<String, Object> data = Map.of("message", message, "count", count, "unsubscribeUrl", link("unsubscribe", to.mailToken()));
        return deliver(unsubscribable(Mail.withHtml(to.address(), message.title(), noticeHtml.data(data).render())
                .setText(noticeText.data(data).render()), to));
    }

    /** The digest: what happened since the last one, newest last, at most the configured number listed. */
    public DeliveryOutcome sendDigest(Delivery.Target to, List<PushMessage> messages) {
        int max = config.mail().digestMaxItems();
        List<PushMessage> listed = messages.size() <= max ? messages : messages.subList(messages.size() - max, messages.size());
        String subject = messages.size() == 1 ? messages.get(0).title()
                : messages.size() + " things happened on " + messages.get(0).recipient().domain();
        Map<String, Object> data = Map.of("messages", listed, "more", messages.size() - listed.size(),
                "unsubscribeUrl", link("unsubscribe", to.mailToken()));
        return deliver(unsubscribable(Mail.withHtml(to.address(), subject, digestHtml.data(data).render())
                .setText(digestText.data(data).render()), to));
    }

    private Mail unsubscribable(Mail mail, Delivery.Target to) {
        return mail.addHeader("List-Unsubscribe", "<" + link("unsubscribe", to.mailToken()) + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }

    private DeliveryOutcome deliver(Mail mail) {
        try {
            mailer.send(mail);
            return DeliveryOutcome.delivered();
        } catch (RuntimeException e) {
            // the SMTP server is away or refused for now: the back-off tries again, and gives up in the end
            return DeliveryOutcome.retry("mail not sent: " + e.getMessage());
        }
    }

    private String link(String action, String token) {
        URI base = config.publicUrl();
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return root + "mail/" + action + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
