package org.buddycloud.channels.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.buddycloud.contracts.events.EventCodec;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.MessageWaiting;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.servicekit.jdbc.Sql;
import org.jboss.logging.Logger;

/**
 * XEP-0357 on the user's server: the registrations a user's clients enable and disable, and — when a message is kept
 * for a user none of whose sessions can take it — one {@code org.buddycloud.account.message-waiting} event for all of
 * them, written in the transaction that keeps the message, so that a kept message and its wake-up are never one
 * without the other. The push server delivers it; this server talks to no app server itself.
 */
@ApplicationScoped
public class PushRegistrations {

    /** The publish-options field that lets the message's text go to the app server (XEP-0357 §7: off unless asked). */
    public static final String INCLUDE_BODY = "include-body";
    static final int MAX_NODE_LENGTH = 1024;
    static final int MAX_OPTIONS = 32;
    static final int MAX_OPTION_LENGTH = 1024;

    private static final Logger LOG = Logger.getLogger(PushRegistrations.class);
    private static final TypeReference<List<MessageWaiting.Option>> OPTIONS = new TypeReference<>() {
    };

    private final Sql sql;
    private final EventOutbox outbox;
    private final Clock clock;
    private final int maxPerUser;
    private final ObjectMapper json = EventCodec.newObjectMapper();

    PushRegistrations(Sql sql, EventOutbox outbox, Clock clock, PushRegistrationsConfig config) {
        this.sql = sql;
        this.outbox = outbox;
        this.clock = clock;
        this.maxPerUser = config.maxPerAccount();
    }

    /**
     * Enables (or, for the same app server and node, replaces) a registration. Refused with {@code bad-request} for a
     * node or form out of bounds, {@code not-acceptable} beyond the per-user limit.
     */
    @Transactional
    public PushRegistration enable(Jid user, Jid appServer, String node, List<MessageWaiting.Option> options) {
        Jid owner = user.toBare();
        if (node == null || node.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "enable names the app server's node in 'node'");
        }
        if (node.length() > MAX_NODE_LENGTH) {
            throw new DomainException(Condition.BAD_REQUEST, "the node is longer than " + MAX_NODE_LENGTH + " characters");
        }
        if (options.size() > MAX_OPTIONS) {
            throw new DomainException(Condition.BAD_REQUEST, "the publish-options form has more than " + MAX_OPTIONS + " fields");
        }
        for (MessageWaiting.Option option : options) {
            if (option.var().length() > MAX_OPTION_LENGTH || option.values().stream().anyMatch(v -> v.length() > MAX_OPTION_LENGTH)) {
                throw new DomainException(Condition.BAD_REQUEST, "a publish-option is longer than " + MAX_OPTION_LENGTH + " characters");
            }
        }
        // the account's row serialises a user's enables, so that two at once cannot pass the limit together
        if (sql.one("SELECT jid FROM accounts WHERE jid = ? FOR UPDATE", rs -> rs.getString(1), owner).isEmpty()) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no such account");
        }
        long others = sql.one("SELECT count(*) FROM push_registrations WHERE owner = ? AND NOT (app_server = ? AND node = ?)",
                rs -> rs.getLong(1), owner, appServer, node).orElse(0L);
        if (others >= maxPerUser) {
            throw new DomainException(Condition.NOT_ACCEPTABLE, "an account has at most " + maxPerUser
                    + " push registrations; disable one first");
        }
        PushRegistration registration = new PushRegistration(owner, appServer, node, options, includesBody(options), clock.instant());
        sql.update("INSERT INTO push_registrations (owner, app_server, node, options, include_body, enabled_at) VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (owner, app_server, node) DO UPDATE SET options = excluded.options, "
                        + "include_body = excluded.include_body, enabled_at = excluded.enabled_at",
                owner, appServer, node, write(options), registration.includeBody(), registration.enabledAt());
        LOG.infof("push registration enabled for %s at %s", owner, appServer);
        return registration;
    }

    /** Disables the user's registrations at {@code appServer}: the one with {@code node}, or all of them when it is null. */
    @Transactional
    public int disable(Jid user, Jid appServer, String node) {
        int removed = sql.update("DELETE FROM push_registrations WHERE owner = ? AND app_server = ? AND (CAST(? AS TEXT) IS NULL OR node = ?)",
                user.toBare(), appServer, node, node);
        LOG.infof("%d push registration(s) disabled for %s at %s", removed, user.toBare(), appServer);
        return removed;
    }

    public List<PushRegistration> of(Jid user) {
        return sql.list("SELECT owner, app_server, node, options, include_body, enabled_at FROM push_registrations WHERE owner = ? "
                + "ORDER BY enabled_at, app_server, node", this::registration, user.toBare());
    }

    /**
     * A message from {@code sender} was kept for {@code user}, {@code waiting} in all: every registration is to be told,
     * by one event in the caller's transaction (the one that keeps the message). Nothing when the user has none.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void messageKept(Jid user, Jid sender, String body, int waiting) {
        List<PushRegistration> registrations = of(user);
        if (registrations.isEmpty()) {
            return;
        }
        outbox.add(EventTypes.MESSAGE_WAITING, new MessageWaiting(user.toBare(), waiting, sender.toBare(),
                registrations.stream().map(r -> r.toEvent(body)).toList(), clock.instant()));
    }

    private static boolean includesBody(List<MessageWaiting.Option> options) {
        return options.stream().filter(o -> o.var().equals(INCLUDE_BODY)).flatMap(o -> o.values().stream()).findFirst()
                .map(v -> v.equals("true") || v.equals("1")).orElse(false);
    }

    private String write(List<MessageWaiting.Option> options) {
        try {
            return json.writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("publish-options are plain strings", e);
        }
    }

    private PushRegistration registration(ResultSet rs) throws SQLException {
        List<MessageWaiting.Option> options;
        try {
            options = json.readValue(rs.getString("options"), OPTIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable publish-options of a push registration of " + rs.getString("owner"), e);
        }
        return new PushRegistration(Jid.parse(rs.getString("owner")), Jid.parse(rs.getString("app_server")), rs.getString("node"),
                options, rs.getBoolean("include_body"), Sql.instant(rs, "enabled_at"));
    }
}
