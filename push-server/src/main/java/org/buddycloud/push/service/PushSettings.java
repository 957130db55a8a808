package org.buddycloud.push.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.push.delivery.DeliveryWorker;
import org.buddycloud.push.delivery.WebPushSender;
import org.buddycloud.push.domain.DeliveryPlan;
import org.buddycloud.push.domain.PushEndpoints;
import org.buddycloud.push.domain.PushKind;
import org.buddycloud.push.domain.PushMessage;
import org.buddycloud.push.domain.PushNotice;
import org.buddycloud.push.domain.PushPreferences;
import org.buddycloud.push.domain.PushTarget;
import org.buddycloud.push.store.DeliveryQueue;
import org.buddycloud.push.store.PreferencesStore;
import org.buddycloud.push.store.StoredTarget;
import org.buddycloud.push.store.TargetStore;

/**
 * What a user may change of their own: targets and their switches (the old {@code notification_settings}),
 * devices, preferences, and — through the links in mails — confirming or unsubscribing an address. Always the
 * caller's own: every operation takes the owner, and another user's target is as good as absent.
 */
@ApplicationScoped
public class PushSettings {

    /** FCM registration tokens are opaque; this bounds them without guessing at their alphabet's future. */
    private static final Pattern FCM_TOKEN = Pattern.compile("[\\x21-\\x7e]{1,4096}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-+/=]{1,200}");

    private final TargetStore targets;
    private final PreferencesStore preferences;
    private final DeliveryQueue queue;
    private final MailAddresses mailAddresses;
    private final WebPushSender webPush;
    private final DeliveryWorker worker;
    private final PushClock clock;

    PushSettings(TargetStore targets, PreferencesStore preferences, DeliveryQueue queue, MailAddresses mailAddresses,
                 WebPushSender webPush, DeliveryWorker worker, PushClock clock) {
        this.targets = targets;
        this.preferences = preferences;
        this.queue = queue;
        this.mailAddresses = mailAddresses;
        this.webPush = webPush;
        this.worker = worker;
        this.clock = clock;
    }

    public List<StoredTarget> targets(Jid owner, Optional<PushTarget.Type> type, Optional<String> address) {
        return QuarkusTransaction.requiringNew().call(() -> targets.of(owner).stream()
                .filter(t -> type.map(wanted -> t.target().type() == wanted).orElse(true))
                .filter(t -> address.map(wanted -> t.target().address().equals(wanted)).orElse(true))
                .toList());
    }

    /**
     * Changes the given switches of a target, adding it when it is new: an FCM token or a mail address (which is
     * then sent a mail that asks to confirm it). A Web Push subscription is added as a device: it needs its keys.
     */
    public StoredTarget configure(Jid owner, PushTarget.Type type, String address, Map<PushKind.Setting, Boolean> changes) {
        String normalised = type == PushTarget.Type.EMAIL ? MailAddresses.normalise(address) : address;
        boolean[] askToConfirm = {false};
        StoredTarget saved = QuarkusTransaction.requiringNew().call(() -> {
            Optional<StoredTarget> known = targets.find(owner, type, normalised);
            StoredTarget base = known.orElseGet(() -> switch (type) {
                case EMAIL -> {
                    askToConfirm[0] = true;
                    yield mailAddresses.add(owner, normalised);
                }
                case FCM -> targets.save(owner, PushTarget.withDefaults(type, checkFcmToken(normalised)), null, null, null, clock.now());
                case WEB_PUSH -> throw new DomainException(Condition.ITEM_NOT_FOUND,
                        "no such Web Push subscription; register it with its keys at POST /devices");
            });
            StoredTarget changed = changes.isEmpty() ? base : targets.save(owner, withChanges(base.target(), changes), null, null, null, clock.now());
            if (askToConfirm[0]) {
                PushNotice notice = new PushNotice(owner, PushKind.CONFIRM_ADDRESS, owner, owner, null);
                queue.add(changed, notice, null, DeliveryPlan.forMail(PushPreferences.defaults(), notice, clock.now()),
                        PushMessage.collapseKeyOf(notice), clock.now());
            }
            return changed;
        });
        if (askToConfirm[0]) {
            worker.wake();
        }
        return saved;
    }

    /** Registers an FCM token, with the switches given (the defaults otherwise). */
    public StoredTarget registerFcm(Jid owner, String token, Map<PushKind.Setting, Boolean> switches) {
        String checked = checkFcmToken(token);
        return QuarkusTransaction.requiringNew().call(() ->
                targets.save(owner, registered(owner, PushTarget.Type.FCM, checked, switches), null, null, null, clock.now()));
    }

    /**
     * The device as registered: apps register again at every start, so what the user chose for a device they already
     * have is kept, and only the switches given change.
     */
    private PushTarget registered(Jid owner, PushTarget.Type type, String address, Map<PushKind.Setting, Boolean> switches) {
        return targets.find(owner, type, address).map(known -> withChanges(known.target(), switches))
                .orElseGet(() -> new PushTarget(type, address, switches));
    }

    /** Registers a Web Push subscription: an https endpoint on the public internet and its two keys. */
    public StoredTarget registerWebPush(Jid owner, String endpoint, String p256dh, String auth, Map<PushKind.Setting, Boolean> switches) {
        try {
            webPush.checkEndpoint(endpoint);
        } catch (PushEndpoints.RefusedEndpoint refused) {
            throw new DomainException(Condition.BAD_REQUEST, refused.getMessage());
        }
        if (p256dh == null || auth == null || !KEY.matcher(p256dh).matches() || !KEY.matcher(auth).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "a Web Push subscription needs its keys p256dh and auth (base64url)");
        }
        return QuarkusTransaction.requiringNew().call(() ->
                targets.save(owner, registered(owner, PushTarget.Type.WEB_PUSH, endpoint, switches), p256dh, auth, null, clock.now()));
    }

    public Optional<StoredTarget> target(Jid owner, long id) {
        return QuarkusTransaction.requiringNew().call(() -> targets.find(owner, id));
    }

    public boolean deleteTarget(Jid owner, long id) {
        return QuarkusTransaction.requiringNew().call(() -> targets.find(owner, id).map(t -> targets.delete(t.id())).orElse(false));
    }

    public int deleteTargets(Jid owner, Optional<PushTarget.Type> type, Optional<String> address) {
        return QuarkusTransaction.requiringNew().call(() -> targets.delete(owner, type.orElse(null), address.orElse(null)));
    }

    /** How many deliveries wait per target of the owner. */
    public Map<Long, Integer> waiting(Jid owner) {
        return QuarkusTransaction.requiringNew().call(() -> queue.waitingByTarget(owner));
    }

    public PushPreferences preferences(Jid owner) {
        return QuarkusTransaction.requiringNew().call(() -> preferences.of(owner));
    }

    public void savePreferences(Jid owner, PushPreferences changed) {
        QuarkusTransaction.requiringNew().run(() -> preferences.save(owner, changed));
    }

    public void mute(Jid owner, Jid channel) {
        QuarkusTransaction.requiringNew().run(() -> preferences.mute(owner, channel));
    }

    public boolean unmute(Jid owner, Jid channel) {
        return QuarkusTransaction.requiringNew().call(() -> preferences.unmute(owner, channel));
    }

    /** Confirms the address whose mail carried {@code token}; empty for an unknown token. */
    public Optional<StoredTarget> confirmMail(String token) {
        return QuarkusTransaction.requiringNew().call(() -> targets.confirm(token));
    }

    /** Removes the address whose mail carried {@code token}; empty for an unknown token. */
    public Optional<StoredTarget> unsubscribeMail(String token) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<StoredTarget> target = targets.byMailToken(token);
            target.ifPresent(t -> targets.delete(t.id()));
            return target;
        });
    }

    private static PushTarget withChanges(PushTarget target, Map<PushKind.Setting, Boolean> changes) {
        Map<PushKind.Setting, Boolean> switches = new java.util.EnumMap<>(target.switches());
        switches.putAll(changes);
        return new PushTarget(target.type(), target.address(), switches);
    }

    private static String checkFcmToken(String token) {
        if (token == null || !FCM_TOKEN.matcher(token).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "an FCM registration token is 1 to 4096 printable characters");
        }
        return token;
    }
}
