package org.buddycloud.channels;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import javax.sql.DataSource;
import org.buddycloud.channels.account.AccountPolicy;
import org.buddycloud.channels.account.AccountService;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.auth.AccountThrottle;
import org.buddycloud.channels.domain.ChannelPolicy;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.ChannelImport;
import org.buddycloud.channels.domain.ChannelService;
import org.buddycloud.channels.domain.ChannelStore;
import org.buddycloud.channels.domain.ChannelStores;
import org.buddycloud.channels.domain.MembershipStore;
import org.buddycloud.channels.domain.InboxService;
import org.buddycloud.channels.domain.PostService;
import org.buddycloud.channels.domain.PostStore;
import org.buddycloud.channels.service.ChannelConfig;
import org.buddycloud.channels.store.JdbcChannelStore;
import org.buddycloud.channels.store.JdbcMembershipStore;
import org.buddycloud.channels.store.JdbcRosterStore;
import org.buddycloud.channels.store.JdbcPepStore;
import org.buddycloud.channels.store.JdbcVcardStore;
import org.buddycloud.channels.profile.Vcards;
import org.buddycloud.channels.pep.PepService;
import org.buddycloud.channels.store.JdbcBlocklistStore;
import org.buddycloud.channels.roster.Rosters;
import org.buddycloud.channels.roster.Blocking;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.store.JdbcPostStore;
import org.buddycloud.channels.auth.JoseAccessTokenSigner;
import org.buddycloud.channels.auth.LoginConfig;
import org.buddycloud.channels.auth.TokenConfig;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.servicekit.outbox.JdbcEventOutbox;
import org.buddycloud.channels.xmpp.pubsub.Notifications;
import org.buddycloud.servicekit.outbox.OutboxRelay;
import org.buddycloud.channels.service.AccountConfig;
import org.buddycloud.channels.store.JdbcAccountStore;
import org.buddycloud.channels.store.JdbcSessionStore;
import org.buddycloud.channels.store.JdbcSigningKeyStore;
import org.buddycloud.servicekit.jdbc.Sql;
import org.buddycloud.channels.token.SigningKeyRing;
import org.buddycloud.channels.token.TokenPolicy;
import org.buddycloud.channels.portability.AccountExport;
import org.buddycloud.channels.portability.AccountServices;
import org.buddycloud.channels.token.TokenService;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.TokenRevocation;
import org.buddycloud.contracts.auth.TokenVerifier;
import org.buddycloud.contracts.auth.VerificationKeys;
import org.buddycloud.contracts.events.EventCodec;
import org.buddycloud.servicekit.limits.AttemptLimiter;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Assembles the plain-Java core from its adapters: the only place that knows both. */
@ApplicationScoped
public class ChannelServerBeans {

    @Produces
    @Singleton
    Sql sql(DataSource dataSource) {
        return new Sql(dataSource);
    }

    @Produces
    @Singleton
    SecureRandom random() {
        return new SecureRandom();
    }

    @Produces
    @Singleton
    EventOutbox outbox(Sql sql, @ConfigProperty(name = "buddycloud.domain") String domain, Clock clock,
                       TransactionSynchronizationRegistry transactions, RevocationList revocations, Notifications notifications,
                       OutboxRelay relay) {
        // a revocation holds on this replica from the commit on, and its own sessions hear of a change at once;
        // other replicas and services learn both from Kafka
        return new JdbcEventOutbox(sql, new EventCodec(), "//buddycloud/channel-server/" + domain, clock, transactions,
                event -> {
                    if (event.data() instanceof TokenRevocation revocation) {
                        revocation.applyTo(revocations);
                    }
                    notifications.committed(event);
                }, relay::wake);
    }

    @Produces
    @Singleton
    AccountStore accountStore(Sql sql) {
        return new JdbcAccountStore(sql);
    }

    @Produces
    @Singleton
    AccountService accounts(AccountStore store, EventOutbox outbox, AccountConfig config,
                            @ConfigProperty(name = "buddycloud.domain") String domain, SecureRandom random, Clock clock) {
        return new AccountService(store, outbox, new AccountPolicy(domain, config.minPasswordLength(),
                config.scramIterations(), config.resetTokenLifetime()), random, clock);
    }

    @Produces
    @Singleton
    ChannelPolicy channelPolicy(ChannelConfig config, @ConfigProperty(name = "buddycloud.domain") String domain) {
        return new ChannelPolicy(domain, config.topicsDomain().orElse("topics." + domain), config.defaultAccessModel(),
                config.defaultGeoAccessModel(), config.maxContentLength());
    }

    @Produces
    @Singleton
    AtomEntries atom(@ConfigProperty(name = "buddycloud.domain") String domain) {
        return new AtomEntries(domain);
    }

    @Produces
    @Singleton
    ChannelStore channelStore(Sql sql) {
        return new JdbcChannelStore(sql);
    }

    @Produces
    @Singleton
    MembershipStore membershipStore(Sql sql) {
        return new JdbcMembershipStore(sql);
    }

    @Produces
    @Singleton
    Rosters rosters(Sql sql, XmppConfig xmpp) {
        return new Rosters(new JdbcRosterStore(sql), xmpp.roster().maxItems());
    }

    @Produces
    @Singleton
    Blocking blocking(Sql sql, XmppConfig xmpp) {
        return new Blocking(new JdbcBlocklistStore(sql), xmpp.roster().maxBlocked());
    }

    @Produces
    @Singleton
    PepService pep(Sql sql, Clock clock) {
        return new PepService(new JdbcPepStore(sql), clock);
    }

    @Produces
    @Singleton
    Vcards vcards(Sql sql, Clock clock, XmppConfig xmpp) {
        return new Vcards(new JdbcVcardStore(sql, clock), xmpp.maxStanzaBytes());
    }

    @Produces
    @Singleton
    PostStore postStore(Sql sql, AtomEntries atom) {
        return new JdbcPostStore(sql, atom);
    }

    @Produces
    @Singleton
    ChannelStores channelStores(ChannelStore channels, MembershipStore memberships, PostStore posts) {
        return new ChannelStores(channels, memberships, posts);
    }

    @Produces
    @Singleton
    ChannelService channelService(ChannelStores stores, EventOutbox outbox, ChannelPolicy policy, Clock clock) {
        return new ChannelService(stores, outbox, policy, clock);
    }

    @Produces
    @Singleton
    ChannelImport channelImport(ChannelStores stores, EventOutbox outbox, ChannelPolicy policy, Clock clock) {
        return new ChannelImport(stores, outbox, policy, clock);
    }

    @Produces
    @Singleton
    AccountExport accountExport(ChannelStores stores, ChannelPolicy policy, AtomEntries atom, AccountServices services, Vcards vcards) {
        return new AccountExport(stores, policy, atom, services, vcards);
    }

    @Produces
    @Singleton
    PostService postService(ChannelStores stores, EventOutbox outbox, ChannelPolicy policy, Clock clock) {
        return new PostService(stores, outbox, policy, clock);
    }

    @Produces
    @Singleton
    InboxService inboxService(ChannelStores stores, EventOutbox outbox, ChannelPolicy policy, Clock clock) {
        return new InboxService(stores, outbox, policy, clock);
    }

    @Produces
    @Singleton
    ChannelQueries channelQueries(ChannelStores stores, ChannelPolicy policy) {
        return new ChannelQueries(stores, policy);
    }

    @Produces
    @Singleton
    SigningKeyRing signingKeys(Sql sql, TokenConfig config, Clock clock) {
        // a retired key stays published while tokens it signed (also by replicas that have not yet reloaded) may live
        return new SigningKeyRing(new JdbcSigningKeyStore(sql), config.keyRotationInterval(),
                config.accessTokenLifetime().plus(config.keyReloadInterval()).plusMinutes(5), config.keyReloadInterval(),
                config.keyPublishAhead(), clock);
    }

    /** This server checks its own tokens against its own keys, without fetching its JWKS document. */
    @Produces
    @Singleton
    VerificationKeys ownKeys(SigningKeyRing keys) {
        return keys::find;
    }

    @Produces
    @Singleton
    TokenService tokens(Sql sql, AccountStore accounts, SigningKeyRing keys, TokenVerifier verifier, EventOutbox outbox,
                        TokenConfig config, SecureRandom random, Clock clock) {
        return new TokenService(new JdbcSessionStore(sql), accounts, new JoseAccessTokenSigner(keys), verifier, outbox,
                new TokenPolicy(config.issuer(), config.audience(), config.accessTokenLifetime(), config.refreshTokenLifetime()),
                random, clock);
    }

    @Produces
    @Singleton
    @Named("login")
    AccountThrottle loginThrottle(LoginConfig config, @ConfigProperty(name = "buddycloud.domain") String domain, Clock clock) {
        return new AccountThrottle(new AttemptLimiter(config.maxFailuresPerAccount(), config.failureWindow(), clock),
                new AttemptLimiter(config.maxFailuresPerAddress(), config.failureWindow(), clock), domain);
    }

    @Produces
    @Singleton
    @Named("reset")
    AccountThrottle resetThrottle(AccountConfig config, @ConfigProperty(name = "buddycloud.domain") String domain, Clock clock) {
        return new AccountThrottle(new AttemptLimiter(config.resetsPerAccount(), config.resetWindow(), clock),
                new AttemptLimiter(config.resetsPerAddress(), config.resetWindow(), clock), domain);
    }
}
