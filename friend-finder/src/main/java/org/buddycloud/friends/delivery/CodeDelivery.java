package org.buddycloud.friends.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.friends.domain.Identifier;
import org.buddycloud.friends.domain.Medium;
import org.jboss.logging.Logger;

/** Sends a verification code to the identifier it proves: a mail through the Quarkus Mailer, an SMS through the provider. */
@ApplicationScoped
public class CodeDelivery {

    private static final Logger LOG = Logger.getLogger(CodeDelivery.class);

    private final Mailer mailer;
    private final SmsProvider sms;

    CodeDelivery(Mailer mailer, SmsProvider sms) {
        this.mailer = mailer;
        this.sms = sms;
    }

    /** Refuses, before anything is kept, a claim whose code could not be sent at all. */
    public void check(Medium medium) {
        if (medium == Medium.MSISDN && !sms.configured()) {
            throw noSms();
        }
    }

    static DomainException noSms() {
        return new DomainException(Condition.NOT_ACCEPTABLE,
                "phone numbers cannot be claimed here: no SMS provider is configured (buddycloud.friends.sms.url)");
    }

    public void send(Identifier to, String code, Duration lifetime) {
        String text = code + " is your Buddycloud code. It proves this " + (to.medium() == Medium.EMAIL ? "address" : "number")
                + " is yours, so that friends who know it can find you; it works for " + lifetime.toMinutes()
                + " minutes. If you did not ask for it, ignore it.";
        if (to.medium() == Medium.EMAIL) {
            try {
                mailer.send(Mail.withText(to.address(), "Your Buddycloud code: " + code, text));
            } catch (RuntimeException e) {
                LOG.warnf("the code for %s could not be mailed: %s", to.masked(), e.toString());
                throw new DomainException(Condition.SERVICE_UNAVAILABLE, "the code could not be sent now; try again later");
            }
        } else {
            sms.send("+" + to.address(), text);
        }
    }
}
