package org.buddycloud.channels.xmpp;

import java.time.DateTimeException;
import java.util.function.Supplier;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.problem.DomainException;
import org.jboss.logging.Logger;

/**
 * Every IQ request gets an answer (RFC 6120 §8.2.3), whatever its handler throws: a refusal of the
 * core becomes its condition, a value that does not parse becomes {@code bad-request}, anything else
 * {@code internal-server-error}. An exception that escaped instead would end the client's stream or
 * leave it waiting for a reply forever.
 */
public final class IqAnswers {

    private static final Logger LOG = Logger.getLogger(IqAnswers.class);

    private IqAnswers() {
    }

    /** The handler's answer to {@code iq} (null when it has none to give), or the error it failed with. */
    public static XmlElement answer(XmlElement iq, Supplier<XmlElement> handler) {
        try {
            return handler.get();
        } catch (RuntimeException e) {
            return failure(iq, e);
        }
    }

    /** The error reply to a stanza whose handling failed with {@code e}. */
    public static XmlElement failure(XmlElement stanza, RuntimeException e) {
        if (e instanceof DomainException refusal) {
            return Stanzas.error(stanza, refusal);
        }
        if (e instanceof InvalidJidException || e instanceof DateTimeException || e instanceof NumberFormatException) {
            LOG.debugf("malformed value in <%s id='%s'/> from %s: %s", stanza.name(), stanza.attr("id"), stanza.attr("from"),
                    shortened(e.getMessage()));
            return Stanzas.error(stanza, "modify", "bad-request", "malformed value: " + shortened(e.getMessage()), null);
        }
        LOG.errorf(e, "handling <%s id='%s'/> from %s failed", stanza.name(), stanza.attr("id"), stanza.attr("from"));
        return Stanzas.error(stanza, "wait", "internal-server-error", "the server failed to handle this request; try again later", null);
    }

    /** Parser messages quote the input, which the client sent and may have made huge. */
    private static String shortened(String message) {
        return message == null || message.length() <= 200 ? message : message.substring(0, 200) + "…";
    }
}
