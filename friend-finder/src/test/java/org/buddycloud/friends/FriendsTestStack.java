package org.buddycloud.friends;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.localstack.Ports;
import org.buddycloud.testsupport.ChannelServerProcess;
import org.buddycloud.testsupport.ServiceTestStack;

/**
 * The service test stack with what the friend finder talks to: a real SMTP server (GreenMail) that the tests read the
 * codes from, a stand-in for an SMS provider's HTTP interface (someone else's service, so only its HTTP boundary), and
 * the channel server accepting {@code friends.localhost} as a component, so that tests ask it over XMPP.
 */
public class FriendsTestStack extends ServiceTestStack {

    static final String COMPONENT = "friends.localhost";
    private static final String SECRET = "test-friends-secret";
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    /** What the SMS provider was asked to send. */
    record Sms(String to, String text) {
    }

    static final List<Sms> SMS = new CopyOnWriteArrayList<>();
    private static GreenMail mail;

    private final int componentPort = Ports.free();
    /** The friend finder's own port, chosen here: the channel server, started first, takes an account's claims into its archive from it. */
    private final int friendsPort = Ports.free();
    private HttpServer smsProvider;

    @Override
    protected Map<String, String> channelServerSettings() {
        return Map.of("buddycloud.xmpp.components.port", Integer.toString(componentPort),
                "buddycloud.xmpp.components.accept.\"" + COMPONENT + "\".secret", SECRET,
                "buddycloud.portability.friends-url", "http://localhost:" + friendsPort,
                "buddycloud.portability.poll-interval", "1s");
    }

    @Override
    protected Map<String, String> startMore(Map<String, String> config, ChannelServerProcess channelServer) {
        int smtp = Ports.free();
        mail = new GreenMail(new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try {
            smsProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        smsProvider.createContext("/messages", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean authorized = "Bearer test-sms-token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (authorized) {
                SMS.add(new Sms(field(body, "to"), field(body, "text")));
            }
            exchange.sendResponseHeaders(authorized ? 202 : 401, -1);
            exchange.close();
        });
        smsProvider.start();
        Map<String, String> more = new HashMap<>(Map.of(
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(smtp),
                "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.tls", "false",
                // the name said in EHLO: looking up this machine's own name can take seconds where DNS is slow
                "quarkus.mailer.own-host-name", "localhost",
                "buddycloud.friends.sms.url", "http://127.0.0.1:" + smsProvider.getAddress().getPort() + "/messages",
                "buddycloud.friends.sms.token", "test-sms-token",
                "quarkus.http.test-port", Integer.toString(friendsPort)));
        more.putAll(Map.of("buddycloud.friends.xmpp.host", "127.0.0.1",
                "buddycloud.friends.xmpp.port", Integer.toString(componentPort),
                "buddycloud.friends.xmpp.domain", COMPONENT,
                "buddycloud.friends.xmpp.secret", SECRET,
                // short enough to see the old pepper refused, long enough to use it first
                "buddycloud.friends.pepper.grace", "6s",
                "buddycloud.friends.limits.hashes-per-day", "60"));
        return more;
    }

    /** The code in the newest mail to {@code address}, if one came. */
    static Optional<String> mailedCode(String address) {
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

    static int mailsTo(String address) {
        int count = 0;
        for (MimeMessage message : mail.getReceivedMessages()) {
            try {
                count += message.getAllRecipients()[0].toString().equalsIgnoreCase(address) ? 1 : 0;
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return count;
    }

    /** The code in the newest SMS to {@code number} (+E.164). */
    static Optional<String> textedCode(String number) {
        for (int i = SMS.size() - 1; i >= 0; i--) {
            if (SMS.get(i).to().equals(number)) {
                Matcher code = CODE.matcher(SMS.get(i).text());
                return code.find() ? Optional.of(code.group(1)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return value.find() ? value.group(1) : null;
    }

    @Override
    protected void stopMore() {
        if (smsProvider != null) {
            smsProvider.stop(0);
        }
        if (mail != null) {
            mail.stop();
        }
    }
}
