package org.buddycloud.push.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.buddycloud.contracts.events.MessageWaiting;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.push.delivery.FcmSender;
import org.buddycloud.push.domain.DeliveryPlan;
import org.buddycloud.push.domain.PushKind;
import org.buddycloud.push.domain.PushMessage;
import org.buddycloud.push.domain.PushNotice;
import org.buddycloud.push.domain.PushPreferences;
import org.buddycloud.push.domain.PushTarget;
import org.buddycloud.push.store.DeliveryQueue;
import org.buddycloud.push.store.PreferencesStore;
import org.buddycloud.push.store.StoredTarget;
import org.buddycloud.push.store.TargetStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * XEP-0357 app server for our own users' devices: a {@code message-waiting} event (a chat message kept for a user whose
 * XMPP client sleeps) becomes a delivery to each device a registration names — this push server's address as the app
 * server, a device id of {@code POST /devices} of the same user as the node — through the usual queue, so quiet hours,
 * mutes, retries and the consumer's once-only hold. The message's text goes along only where the registration asked
 * for it. Registrations at other app servers would need an XMPP pubsub publish over federation, which is not there
 * yet: they are counted ({@code buddycloud_push_xmpp_undeliverable_total{reason}}) and logged.
 */
@ApplicationScoped
public class XmppWakeUps {

    private static final Logger LOG = Logger.getLogger(XmppWakeUps.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final Jid address;
    private final String domain;
    private final TargetStore targets;
    private final PreferencesStore preferences;
    private final DeliveryQueue queue;
    private final PushClock clock;
    private final FcmSender fcm;
    private final MeterRegistry metrics;

    XmppWakeUps(PushConfig config, @ConfigProperty(name = "buddycloud.domain") String domain, TargetStore targets,
                PreferencesStore preferences, DeliveryQueue queue, PushClock clock, FcmSender fcm, MeterRegistry metrics) {
        this.address = Jid.parse(config.xmpp().address());
        this.domain = domain;
        this.targets = targets;
        this.preferences = preferences;
        this.queue = queue;
        this.clock = clock;
        this.fcm = fcm;
        this.metrics = metrics;
    }

    /** Queues what {@code waiting} calls for, in the consumer's transaction; true when something was queued. */
    public boolean plan(MessageWaiting waiting, Instant happenedAt) {
        Jid user = waiting.user().toBare();
        if (!user.domain().equals(domain)) {
            return false;
        }
        PushNotice notice = new PushNotice(user, PushKind.MESSAGE_WAITING, waiting.lastMessageSender().toBare(),
                waiting.lastMessageSender().toBare(), null);
        PushPreferences choices = preferences.of(user);
        boolean queued = false;
        for (MessageWaiting.Registration registration : waiting.registrations()) {
            if (!registration.appServer().equals(address)) {
                undeliverable("federation", user, registration);
                continue;
            }
            Optional<StoredTarget> device = device(user, registration.node());
            if (device.isEmpty()) {
                undeliverable("unknown-device", user, registration);
                continue;
            }
            if (choices.allows(notice, device.get().target()) && sendable(device.get())) {
                queue.add(device.get(), notice, registration.lastMessageBody(), DeliveryPlan.forDevice(choices, notice, clock.now()),
                        PushMessage.collapseKeyOf(notice), happenedAt);
                queued = true;
            }
        }
        return queued;
    }

    /** The user's own device (FCM or Web Push) with the node as its id; a node naming someone else's is no device. */
    private Optional<StoredTarget> device(Jid user, String node) {
        if (!DEVICE_ID.matcher(node).matches()) {
            return Optional.empty();
        }
        return targets.find(user, Long.parseLong(node)).filter(target -> target.target().type() != PushTarget.Type.EMAIL);
    }

    private boolean sendable(StoredTarget device) {
        return device.target().type() != PushTarget.Type.FCM || fcm.configured();
    }

    private void undeliverable(String reason, Jid user, MessageWaiting.Registration registration) {
        LOG.infof("XEP-0357 wake-up of %s via %s not delivered: %s", user, registration.appServer(),
                reason.equals("federation") ? "no federation with other app servers yet" : "no such device of the user");
        Counter.builder("buddycloud.push.xmpp.undeliverable")
                .description("XEP-0357 registrations a waiting message could not be delivered to, by reason")
                .tag("reason", reason).register(metrics).increment();
    }
}
