package org.buddycloud.webtests;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.localstack.Ports;

/**
 * A real SMTP server in the test JVM (GreenMail) that the services send their mail to: the friend finder's
 * verification codes arrive here, and a test reads them as the person who owns the address would.
 */
public final class Mailbox implements AutoCloseable {

    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    private final GreenMail mail;
    private final int smtpPort;

    private Mailbox(GreenMail mail, int smtpPort) {
        this.mail = mail;
        this.smtpPort = smtpPort;
    }

    static Mailbox start() {
        int port = Ports.free();
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return new Mailbox(mail, port);
    }

    int smtpPort() {
        return smtpPort;
    }

    /** The six-digit code in the subject of the newest mail to {@code address}, once one came. */
    public Optional<String> codeSentTo(String address) {
        MimeMessage[] received = mail.getReceivedMessages();
        for (int i = received.length - 1; i >= 0; i--) {
            try {
                if (received[i].getAllRecipients()[0].toString().equalsIgnoreCase(address)) {
                    Matcher code = CODE.matcher(received[i].getSubject());
                    return code.find() ? Optional.of(code.group(1)) : Optional.empty();
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        mail.stop();
    }
}
