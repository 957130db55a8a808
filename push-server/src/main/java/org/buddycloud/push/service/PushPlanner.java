package org.buddycloud.push.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.contracts.events.AccountRegistered;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.MessageWaiting;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.push.delivery.FcmSender;
import org.buddycloud.push.domain.DeliveryPlan;
import org.buddycloud.push.domain.PushKind;
import org.buddycloud.push.domain.PushMessage;
import org.buddycloud.push.domain.PushNotice;
import org.buddycloud.push.domain.PushPreferences;
import org.buddycloud.push.domain.PushRecipients;
import org.buddycloud.push.domain.PushTarget;
import org.buddycloud.push.store.DeliveryQueue;
import org.buddycloud.push.store.PreferencesStore;
import org.buddycloud.push.store.ReadModelMembers;
import org.buddycloud.push.store.StoredTarget;
import org.buddycloud.push.store.TargetStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns a channel event into queued deliveries, inside the consumer's transaction: who is told
 * ({@link PushRecipients}), on which of their targets (the target's switches, mutes, confirmed mail), and when
 * ({@link DeliveryPlan}). An account's registration adds its mail address and the welcome; its deletion removes
 * everything the push server kept of it.
 */
@ApplicationScoped
public class PushPlanner {

    private static final Logger LOG = Logger.getLogger(PushPlanner.class);
    /** How long an event about a channel the read model has not heard of yet waits for it (its consumer runs apart). */
    private static final Duration READ_MODEL_WAIT = Duration.ofSeconds(5);

    private final PushRecipients recipients;
    private final ReadModelMembers members;
    private final TargetStore targets;
    private final PreferencesStore preferences;
    private final DeliveryQueue queue;
    private final MailAddresses mailAddresses;
    private final PushClock clock;
    private final FcmSender fcm;
    private final XmppWakeUps wakeUps;

    PushPlanner(@ConfigProperty(name = "buddycloud.domain") String domain, ReadModelMembers members, TargetStore targets,
                PreferencesStore preferences, DeliveryQueue queue, MailAddresses mailAddresses, PushClock clock,
                FcmSender fcm, XmppWakeUps wakeUps) {
        this.wakeUps = wakeUps;
        this.recipients = new PushRecipients(domain, members);
        this.members = members;
        this.targets = targets;
        this.preferences = preferences;
        this.queue = queue;
        this.mailAddresses = mailAddresses;
        this.clock = clock;
        this.fcm = fcm;
    }

    /** Plans what {@code data} calls for; true when something was queued (the senders are woken after the commit). */
    public boolean plan(Object data, Instant happenedAt) {
        if (data instanceof PostPublished published) {
            awaitReadModel(published.post().channel(), happenedAt);
            return queue(recipients.ofPost(published.post(), published.accessModel()), published.post().content(), happenedAt);
        } else if (data instanceof SubscriptionChanged change) {
            awaitReadModel(change.channel(), happenedAt);
            return queue(recipients.ofSubscription(change), null, happenedAt);
        } else if (data instanceof PostRetracted retracted) {
            queue.dropItem(retracted.channel(), retracted.itemId());
        } else if (data instanceof ChannelDeleted deleted) {
            queue.dropChannel(deleted.channel());
            preferences.forgetChannel(deleted.channel());
        } else if (data instanceof MessageWaiting waiting) {
            return wakeUps.plan(waiting, happenedAt);
        } else if (data instanceof AccountRegistered registered) {
            return welcome(registered, happenedAt);
        } else if (data instanceof AccountDeleted deleted) {
            targets.deleteOwner(deleted.jid());
            preferences.deleteOwner(deleted.jid());
            queue.dropActor(deleted.jid());
        }
        return false;
    }

    private boolean queue(List<PushNotice> notices, String postText, Instant happenedAt) {
        boolean queued = false;
        Instant now = clock.now();
        for (PushNotice notice : notices) {
            PushPreferences choices = preferences.of(notice.recipient());
            String allowedText = choices.postTextThroughProviders() ? postText : null;
            for (StoredTarget target : targets.of(notice.recipient())) {
                if (target.takesNotices() && choices.allows(notice, target.target()) && sendable(target)) {
                    DeliveryPlan plan = target.target().type() == PushTarget.Type.EMAIL ? DeliveryPlan.forMail(choices, notice, now)
                            : DeliveryPlan.forDevice(choices, notice, now);
                    queue.add(target, notice, allowedText, plan, PushMessage.collapseKeyOf(notice), happenedAt);
                    queued = true;
                }
            }
        }
        return queued;
    }

    /** An FCM token is kept while FCM is not configured, but nothing is queued for it (it would only be given up). */
    private boolean sendable(StoredTarget target) {
        return target.target().type() != PushTarget.Type.FCM || fcm.configured();
    }

    /** The registration's mail address becomes a target, told nothing but the welcome until it is confirmed from it. */
    private boolean welcome(AccountRegistered registered, Instant happenedAt) {
        if (registered.email() == null || registered.email().isBlank()) {
            return false;
        }
        StoredTarget target;
        try {
            target = mailAddresses.add(registered.jid(), registered.email());
        } catch (DomainException refused) {
            // the channel server checked it; an address this server cannot use is not worth stopping the consumer for
            LOG.warnf("no welcome for %s: %s", registered.jid(), refused.getMessage());
            return false;
        }
        PushNotice notice = new PushNotice(registered.jid(), PushKind.WELCOME, registered.jid(), registered.jid(), null);
        queue.add(target, notice, null, DeliveryPlan.forMail(PushPreferences.defaults(), notice, clock.now()),
                PushMessage.collapseKeyOf(notice), happenedAt);
        return true;
    }

    /**
     * The read model is another consumer of the same topics: an event about a channel it has not heard of yet
     * (just created) waits a moment for it, so that the channel's owners are known. A channel it never hears of
     * (deleted since) is let go after the wait; an old event (a replay) does not wait at all.
     */
    private void awaitReadModel(Jid channel, Instant happenedAt) {
        if (happenedAt.isBefore(clock.now().minus(READ_MODEL_WAIT))) {
            return;
        }
        long deadline = System.nanoTime() + READ_MODEL_WAIT.toNanos();
        while (!members.knows(channel)) {
            if (System.nanoTime() > deadline) {
                LOG.debugf("the read model does not know %s; planning without it", channel);
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
