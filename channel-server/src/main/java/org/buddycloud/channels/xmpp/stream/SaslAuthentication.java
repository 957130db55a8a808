package org.buddycloud.channels.xmpp.stream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;
import org.buddycloud.channels.account.ScramMechanism;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * SASL (RFC 6120 §6) on one client stream: SCRAM-SHA-256 and SCRAM-SHA-1, and PLAIN only inside TLS. Failed logins
 * count against the user name and the client's address (the accounts' throttle), which refuses further tries for a
 * while; a stream that fails {@value #MAX_FAILURES} times ends.
 */
final class SaslAuthentication {

    private static final Logger LOG = Logger.getLogger(SaslAuthentication.class);
    private static final int MAX_FAILURES = 3;

    private final Transport transport;
    private final XmppAccounts accounts;
    private final Consumer<Jid> authenticated;
    private ScramServer scram;
    private int failures;

    /** {@code authenticated} hears of the account before {@code <success/>} goes out, so that it can restart the stream. */
    SaslAuthentication(Transport transport, XmppAccounts accounts, Consumer<Jid> authenticated) {
        this.transport = transport;
        this.accounts = accounts;
        this.authenticated = authenticated;
    }

    /** The mechanisms, for the stream features before authentication. */
    void offer(XmlElement features) {
        XmlElement mechanisms = features.add("mechanisms", Namespaces.SASL);
        mechanisms.addText("mechanism", "SCRAM-SHA-256").addText("mechanism", "SCRAM-SHA-1");
        if (transport.encrypted()) {
            mechanisms.addText("mechanism", "PLAIN");
        }
    }

    /** An element of the SASL namespace from the client; a stream error once it failed too often. */
    void handle(XmlElement element) throws XmppStreamException {
        try {
            switch (element.name()) {
                case "auth" -> start(element);
                case "response" -> {
                    if (scram == null) {
                        throw new SaslFailure("malformed-request", "no SASL exchange in progress");
                    }
                    String serverFinal = scram.last(decode(element.text()));
                    succeed(scram.account().orElseThrow(), serverFinal);
                }
                case "abort" -> {
                    scram = null;
                    transport.send(XmlElement.of("failure", Namespaces.SASL).append(XmlElement.of("aborted", Namespaces.SASL)).toXml());
                }
                default -> throw new SaslFailure("malformed-request", "unknown SASL element " + element.name());
            }
        } catch (SaslFailure failure) {
            fail(failure);
        }
    }

    private void start(XmlElement auth) throws SaslFailure {
        String mechanism = auth.attr("mechanism");
        String initial = decode(auth.text());
        switch (mechanism == null ? "" : mechanism) {
            case "SCRAM-SHA-256", "SCRAM-SHA-1" -> {
                scram = new ScramServer(mechanism.equals("SCRAM-SHA-1") ? ScramMechanism.SHA_1 : ScramMechanism.SHA_256,
                        accounts, accounts.random());
                String serverFirst = scram.first(initial);
                throttleCheck(scram.username());
                transport.send(XmlElement.of("challenge", Namespaces.SASL).text(encode(serverFirst)).toXml());
            }
            case "PLAIN" -> {
                if (!transport.encrypted()) {
                    throw new SaslFailure("encryption-required", "PLAIN is only accepted inside TLS");
                }
                String[] parts = initial.split("\u0000", -1);
                if (parts.length != 3) {
                    throw new SaslFailure("malformed-request", "PLAIN is authzid NUL authcid NUL password");
                }
                throttleCheck(parts[1]);
                Jid account = accounts.authenticate(parts[1], parts[2]).orElseThrow(() -> {
                    accounts.throttle().record(parts[1], transport.remoteAddress());
                    return new SaslFailure("not-authorized", "wrong user name or password");
                });
                succeed(account, null);
            }
            default -> throw new SaslFailure("invalid-mechanism", "offered: SCRAM-SHA-256, SCRAM-SHA-1"
                    + (transport.encrypted() ? ", PLAIN" : ""));
        }
    }

    private void throttleCheck(String username) throws SaslFailure {
        try {
            accounts.throttle().checkAllowed(username, transport.remoteAddress());
        } catch (RateLimitedException e) {
            throw new SaslFailure("temporary-auth-failure", "too many failed logins; try again later");
        }
    }

    private void succeed(Jid account, String additionalData) {
        accounts.throttle().forgive(account.toString());
        scram = null;
        authenticated.accept(account);
        XmlElement success = XmlElement.of("success", Namespaces.SASL);
        if (additionalData != null) {
            success.text(encode(additionalData));
        }
        transport.send(success.toXml());
        LOG.debugf("%s authenticated from %s", account, transport.remoteAddress());
    }

    private void fail(SaslFailure failure) throws XmppStreamException {
        if ("not-authorized".equals(failure.condition()) && scram != null) {
            try {
                accounts.throttle().record(scram.username(), transport.remoteAddress());
            } catch (SaslFailure ignored) {
                // the user name itself was unreadable; the address is counted below
                accounts.throttle().record("", transport.remoteAddress());
            }
        }
        scram = null;
        XmlElement reply = XmlElement.of("failure", Namespaces.SASL);
        reply.add(failure.condition());
        reply.add("text").text(failure.getMessage());
        transport.send(reply.toXml());
        if (++failures >= MAX_FAILURES) {
            throw new XmppStreamException("policy-violation", "too many failed authentication attempts");
        }
    }

    private static String decode(String text) throws SaslFailure {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty() || trimmed.equals("=")) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(trimmed), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SaslFailure("incorrect-encoding", "invalid base64");
        }
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
