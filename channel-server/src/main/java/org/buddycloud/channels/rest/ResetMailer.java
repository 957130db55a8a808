package org.buddycloud.channels.rest;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.channels.account.PasswordReset;
import org.buddycloud.channels.service.AccountConfig;
import org.jboss.logging.Logger;

/**
 * E-mails a reset token (never a password). In the embedded default the mailer is in mock mode and
 * the mail is written to the log instead; production configures an SMTP server. Sending does not
 * hold up the answer, so its timing says nothing about whether the account exists.
 */
@ApplicationScoped
public class ResetMailer {

    private static final Logger LOG = Logger.getLogger(ResetMailer.class);

    private final ReactiveMailer mailer;
    private final AccountConfig config;

    ResetMailer(ReactiveMailer mailer, AccountConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    void send(PasswordReset reset) {
        String link = config.resetLink().map(template -> template.replace("{token}", reset.token())).orElse(null);
        String body = "Someone asked to reset the password of " + reset.account().jid() + ".\n\n"
                + (link != null ? "Choose a new password here: " + link + "\n\n" : "")
                + "Reset token: " + reset.token() + "\n"
                + "(POST it with your new password to /account/pw/reset/confirm; it works once, until "
                + reset.expiresAt() + ".)\n\nIf this was not you, ignore this mail: your password is unchanged.\n";
        mailer.send(Mail.withText(reset.account().email(), "Reset your Buddycloud password", body)).subscribe().with(
                sent -> LOG.infof("password reset mail sent for %s", reset.account().jid()),
                failure -> LOG.errorf("could not send the password reset mail for %s: %s", reset.account().jid(), failure.getMessage()));
    }
}
