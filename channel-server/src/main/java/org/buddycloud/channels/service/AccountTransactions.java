package org.buddycloud.channels.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.buddycloud.channels.account.Account;
import org.buddycloud.channels.account.AccountService;
import org.buddycloud.channels.account.PasswordReset;
import org.buddycloud.channels.domain.ChannelService;
import org.buddycloud.channels.portability.AccountArchives;
import org.buddycloud.contracts.events.CredentialsChanged;
import org.buddycloud.contracts.jid.Jid;

/** Runs each account use case in one database transaction, with its outbox events. */
@ApplicationScoped
public class AccountTransactions {

    private final AccountService accounts;
    private final ChannelService channels;
    private final AccountArchives archives;

    AccountTransactions(AccountService accounts, ChannelService channels, AccountArchives archives) {
        this.accounts = accounts;
        this.channels = channels;
        this.archives = archives;
    }

    /** The account and its personal channel, together or not at all. */
    @Transactional
    public Account register(String username, String password, String email) {
        Account account = accounts.register(username, password, email);
        channels.createPersonalChannel(account.jid());
        return account;
    }

    public Optional<Account> authenticate(String identifier, String password) {
        return accounts.authenticate(identifier, password);
    }

    public Optional<Jid> identify(String identifier) {
        return accounts.identify(identifier);
    }

    public Account account(Jid jid) {
        return accounts.account(jid);
    }

    @Transactional
    public void changePassword(Jid jid, String newPassword) {
        accounts.changePassword(jid, newPassword, CredentialsChanged.Reason.PASSWORD_CHANGED);
    }

    /** The account goes with its channel, memberships, posts and archives, so a new account of that name inherits nothing. */
    @Transactional
    public void delete(Jid jid) {
        channels.forgetUser(jid);
        archives.forget(jid);
        accounts.delete(jid);
    }

    @Transactional
    public Optional<PasswordReset> requestReset(String username) {
        return accounts.requestReset(username);
    }

    @Transactional
    public Jid confirmReset(String token, String newPassword) {
        return accounts.confirmReset(token, newPassword);
    }
}
