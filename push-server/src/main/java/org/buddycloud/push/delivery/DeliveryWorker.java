package org.buddycloud.push.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.buddycloud.push.domain.DeliveryOutcome;
import org.buddycloud.push.domain.PushMessage;
import org.buddycloud.push.domain.RetryPolicy;
import org.buddycloud.push.service.PushClock;
import org.buddycloud.push.service.PushConfig;
import org.buddycloud.push.store.Delivery;
import org.buddycloud.push.store.DeliveryQueue;
import org.buddycloud.push.store.TargetStore;
import org.jboss.logging.Logger;

/**
 * Sends what the queue holds: one dispatcher thread leases due deliveries (woken by the consumer's commit, else
 * when the next held one falls due) and hands them to a pool of senders; each outcome is written in its own
 * transaction — removed when delivered, rescheduled with back-off, the device removed when the provider says it is
 * gone, given up to the dead-letter topic after the last attempt. Replicas share the queue through the leases.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final int MAX_CLAIM = 100;
    private static final Duration IDLE_CHECK = Duration.ofSeconds(5);

    private final DeliveryQueue queue;
    private final TargetStore targets;
    private final FcmSender fcm;
    private final WebPushSender webPush;
    private final MailSender mail;
    private final DeadLetters deadLetters;
    private final PushClock clock;
    private final PushConfig.Delivery config;
    private final RetryPolicy retries;
    private final MeterRegistry metrics;
    private final Timer latency;
    private final Semaphore slots;
    private final Object signal = new Object();
    private final AtomicInteger inFlight = new AtomicInteger();
    private boolean woken;
    private volatile boolean running;
    private volatile boolean failing;
    private ExecutorService senders;
    private Thread dispatcher;

    DeliveryWorker(DeliveryQueue queue, TargetStore targets, FcmSender fcm, WebPushSender webPush, MailSender mail,
                   DeadLetters deadLetters, PushClock clock, PushConfig config, MeterRegistry metrics) {
        this.queue = queue;
        this.targets = targets;
        this.fcm = fcm;
        this.webPush = webPush;
        this.mail = mail;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.config = config.delivery();
        this.retries = new RetryPolicy(this.config.firstRetry(), this.config.longestRetry(), this.config.maxAttempts());
        this.metrics = metrics;
        this.latency = Timer.builder("buddycloud.push.delivery.latency")
                .description("From the event that caused a notice to the provider's acceptance of its message")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.slots = new Semaphore(this.config.concurrency());
    }

    void start(@Observes StartupEvent event) {
        running = true;
        AtomicInteger count = new AtomicInteger();
        senders = Executors.newFixedThreadPool(config.concurrency(), r -> {
            Thread thread = new Thread(r, "push-sender-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        dispatcher = new Thread(this::dispatch, "push-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /** Something was queued (or a sender is free): the dispatcher looks now instead of at its next check. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** True while the queue cannot be read (the database is away). */
    public boolean failing() {
        return failing;
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wake();
        if (dispatcher != null) {
            dispatcher.join(TimeUnit.SECONDS.toMillis(5));
        }
        if (senders != null) {
            // what is being sent finishes and is recorded, so a restart does not send it again
            senders.shutdown();
            senders.awaitTermination(config.timeout().toSeconds() + 5, TimeUnit.SECONDS);
        }
    }

    private void dispatch() {
        while (running) {
            try {
                int claimed = dispatchDue() + dispatchDigests();
                failing = false;
                if (claimed == 0 || slots.availablePermits() == 0) {
                    await(claimed == 0 ? untilNextDue() : IDLE_CHECK);
                }
            } catch (RuntimeException e) {
                failing = true;
                LOG.warnf(e, "the delivery queue cannot be read; trying again in a second");
                await(Duration.ofSeconds(1));
            }
        }
    }

    private int dispatchDue() {
        int free = Math.min(slots.availablePermits(), MAX_CLAIM);
        if (free == 0) {
            return 0;
        }
        List<Delivery> due = QuarkusTransaction.requiringNew().call(() -> queue.claimDue(clock.now(), free, config.lease()));
        due.forEach(delivery -> submit(() -> deliver(delivery)));
        return due.size();
    }

    private int dispatchDigests() {
        int free = Math.min(slots.availablePermits(), 10);
        if (free == 0) {
            return 0;
        }
        List<List<Delivery>> digests = QuarkusTransaction.requiringNew().call(() -> queue.claimDigests(clock.now(), free, config.lease()));
        digests.forEach(rows -> submit(() -> deliverDigest(rows)));
        return digests.size();
    }

    private void submit(Runnable work) {
        slots.acquireUninterruptibly();
        inFlight.incrementAndGet();
        senders.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                // the outcome could not be recorded: the lease runs out and the delivery is tried again
                LOG.warnf(e, "a delivery's outcome was not recorded");
            } finally {
                inFlight.decrementAndGet();
                slots.release();
                wake();
            }
        });
    }

    private void deliver(Delivery delivery) {
        DeliveryOutcome outcome;
        try {
            PushMessage message = PushMessage.of(delivery.notice(), delivery.notices(), delivery.postText());
            outcome = switch (delivery.target().type()) {
                case FCM -> fcm.send(delivery.target().address(), message, delivery.notices());
                case WEB_PUSH -> webPush.send(delivery.target().address(), delivery.target().p256dh(), delivery.target().auth(), message,
                        delivery.notices());
                case EMAIL -> mail.send(delivery.target(), message, delivery.notices());
            };
        } catch (RuntimeException e) {
            outcome = DeliveryOutcome.retry(e.toString());
        }
        DeliveryOutcome result = outcome;
        Instant now = clock.now();
        try {
            QuarkusTransaction.requiringNew().run(() -> record(delivery, result, now));
        } catch (RuntimeException e) {
            // a notice of the same burst was committed while this one was released: once more, it now merges into that
            QuarkusTransaction.requiringNew().run(() -> record(delivery, result, now));
        }
        count(delivery.target().type().wireName(), result);
        if (result.result() == DeliveryOutcome.Result.DELIVERED) {
            latency.record(Duration.between(delivery.happenedAt(), now).abs());
        }
    }

    private void deliverDigest(List<Delivery> rows) {
        Delivery.Target to = rows.get(0).target();
        DeliveryOutcome attempt;
        try {
            List<PushMessage> messages = rows.stream().map(row -> PushMessage.of(row.notice(), row.notices(), row.postText())).toList();
            attempt = mail.sendDigest(to, messages);
        } catch (RuntimeException e) {
            attempt = DeliveryOutcome.retry(e.toString());
        }
        DeliveryOutcome outcome = attempt;
        Instant now = clock.now();
        QuarkusTransaction.requiringNew().run(() -> {
            switch (outcome.result()) {
                case DELIVERED -> {
                    rows.forEach(queue::done);
                    targets.succeeded(to.id(), now);
                }
                case TARGET_GONE -> targets.delete(to.id());
                default -> {
                    Optional<Instant> next = retries.nextAttempt(rows.get(0).attempts(), now, outcome.retryAfter());
                    targets.failed(to.id(), now, outcome.error());
                    if (next.isPresent()) {
                        queue.retryDigest(rows, next.get(), outcome.error());
                    } else {
                        rows.forEach(row -> queue.giveUp(row, outcome.error()));
                    }
                }
            }
        });
        count("email-digest", outcome);
    }

    private void record(Delivery delivery, DeliveryOutcome outcome, Instant now) {
        long target = delivery.target().id();
        switch (outcome.result()) {
            case DELIVERED -> {
                queue.done(delivery);
                targets.succeeded(target, now);
            }
            case TARGET_GONE -> {
                LOG.infof("removing %s target %d of %s: %s", delivery.target().type().wireName(), target, delivery.notice().recipient(),
                        outcome.error());
                targets.delete(target);
            }
            case RETRY -> {
                targets.failed(target, now, outcome.error());
                Optional<Instant> next = retries.nextAttempt(delivery.attempts(), now, outcome.retryAfter());
                if (next.isPresent()) {
                    queue.retry(delivery, next.get(), outcome.error());
                } else {
                    giveUp(delivery, outcome.error());
                }
            }
            case REFUSED -> {
                targets.failed(target, now, outcome.error());
                giveUp(delivery, outcome.error());
            }
        }
    }

    private void giveUp(Delivery delivery, String error) {
        LOG.warnf("giving up %s to %s after %d attempt(s): %s", delivery.notice().kind(), delivery.notice().recipient(),
                delivery.attempts(), error);
        queue.giveUp(delivery, error);
        deadLetters.wake();
    }

    private void count(String type, DeliveryOutcome outcome) {
        Counter.builder("buddycloud.push.deliveries").description("Messages handed to providers, by target type and outcome")
                .tag("type", type).tag("outcome", outcome.result().name().toLowerCase(java.util.Locale.ROOT))
                .register(metrics).increment();
    }

    /** Until the next held delivery falls due, or the idle check. */
    private Duration untilNextDue() {
        Optional<Instant> next = QuarkusTransaction.requiringNew().call(queue::nextDue);
        if (next.isEmpty()) {
            return IDLE_CHECK;
        }
        Duration wait = Duration.between(clock.now(), next.get());
        return wait.isNegative() ? Duration.ofMillis(50) : wait.compareTo(IDLE_CHECK) > 0 ? IDLE_CHECK : wait;
    }

    private void await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (!woken && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            woken = false;
        }
    }
}
