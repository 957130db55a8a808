package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.buddycloud.channels.auth.JoseSlotTokenSigner;
import org.buddycloud.channels.auth.TokenConfig;
import org.buddycloud.channels.token.SigningKeyRing;
import org.buddycloud.channels.upload.FileTooLarge;
import org.buddycloud.channels.upload.UploadConfig;
import org.buddycloud.channels.upload.UploadSlot;
import org.buddycloud.channels.upload.UploadSlots;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.servicekit.limits.AttemptLimiter;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jboss.logging.Logger;

/**
 * XEP-0363 HTTP File Upload (v1.1) at the server's own JID: a slot request answered with a PUT URL at the media
 * server (through the gateway) carrying a slot token, and the GET URL to share.
 * <pre>
 *   &lt;iq type='get' to='example.com'&gt;&lt;request xmlns='urn:xmpp:http:upload:0' filename='a.jpg' size='23456' content-type='image/jpeg'/&gt;&lt;/iq&gt;
 *   &lt;iq type='result'&gt;&lt;slot xmlns='urn:xmpp:http:upload:0'&gt;
 *     &lt;put url='https://…/upload/{slot}/a.jpg'&gt;&lt;header name='Authorization'&gt;Bearer eyJ…&lt;/header&gt;&lt;/put&gt;
 *     &lt;get url='https://…/upload/{slot}/a.jpg'/&gt;&lt;/slot&gt;&lt;/iq&gt;
 * </pre>
 */
@ApplicationScoped
public class UploadSlotIq {

    public static final String NAMESPACE = "urn:xmpp:http:upload:0";

    private static final Logger LOG = Logger.getLogger(UploadSlotIq.class);

    private final UploadSlots slots;
    private final Clock clock;

    UploadSlotIq(UploadConfig config, TokenConfig tokens, SigningKeyRing keys, Clock clock) {
        this.clock = clock;
        this.slots = new UploadSlots(new UploadSlots.Settings(config.baseUrl(), tokens.issuer(), config.audience(), config.maxFileSize(),
                config.slotLifetime()), new JoseSlotTokenSigner(keys), new AttemptLimiter(config.slotsPerWindow(), config.slotWindow(), clock),
                new SecureRandom(), clock);
    }

    /** The XEP-0128 form of the server's disco#info that tells clients how large a file may be. */
    public XmlElement discoForm() {
        return DataForm.of("result", NAMESPACE).field("max-file-size", null, null, Long.toString(slots.maxFileSize())).element();
    }

    public XmlElement handle(XmlElement iq, XmlElement request, Jid user) {
        if (!"get".equals(iq.attr("type")) || !request.is("request", NAMESPACE)) {
            return Stanzas.error(iq, "modify", "bad-request", "ask for a slot with <iq type='get'><request xmlns='" + NAMESPACE + "'/>", null);
        }
        try {
            UploadSlot slot = slots.offer(user, request.attr("filename"), request.attr("size"), request.attr("content-type"));
            LOG.infof("upload slot %s for %s (%s bytes)", slot.slotId(), user.toBare(), request.attr("size"));
            XmlElement reply = Stanzas.result(iq);
            XmlElement answer = reply.add("slot", NAMESPACE);
            answer.add("put").attr("url", slot.putUrl()).add("header").attr("name", "Authorization").text(slot.authorization());
            answer.add("get").attr("url", slot.getUrl());
            return reply;
        } catch (FileTooLarge e) {
            XmlElement reply = Stanzas.error(iq, e);
            error(reply).add("file-too-large", NAMESPACE).addText("max-file-size", Long.toString(e.maxFileSize()));
            return reply;
        } catch (RateLimitedException e) {
            XmlElement reply = Stanzas.error(iq, "wait", "resource-constraint", e.getMessage(), null);
            Instant retry = clock.instant().plus(e.retryAfter()).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            error(reply).add("retry", NAMESPACE).attr("stamp", retry.toString());
            return reply;
        } catch (DomainException e) {
            return Stanzas.error(iq, e);
        }
    }

    private static XmlElement error(XmlElement reply) {
        return reply.elements().stream().filter(child -> child.name().equals("error")).findFirst().orElseThrow();
    }
}
