package org.buddycloud.channels.xmpp.stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.account.ScramCredential;
import org.buddycloud.channels.account.ScramMechanism;
import org.buddycloud.channels.auth.AccountThrottle;
import org.buddycloud.channels.service.AccountTransactions;
import org.buddycloud.contracts.jid.Jid;

/** What XMPP authentication needs of the accounts: SCRAM keys, PLAIN checks and the login throttle. */
@ApplicationScoped
public class XmppAccounts implements ScramServer.Credentials {

    private final AccountTransactions accounts;
    private final AccountStore store;
    private final AccountThrottle throttle;
    private final SecureRandom random;
    private final byte[] decoySecret = new byte[32];

    XmppAccounts(AccountTransactions accounts, AccountStore store, @Named("login") AccountThrottle throttle, SecureRandom random) {
        this.accounts = accounts;
        this.store = store;
        this.throttle = throttle;
        this.random = random;
        random.nextBytes(decoySecret);
    }

    @Override
    public Optional<Jid> identify(String username) {
        return accounts.identify(username);
    }

    @Override
    public Optional<ScramCredential> keys(Jid account, ScramMechanism mechanism) {
        return store.credential(account, mechanism);
    }

    @Override
    public ScramCredential decoy(String username, ScramMechanism mechanism) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(decoySecret, "HmacSHA256"));
            byte[] salt = java.util.Arrays.copyOf(mac.doFinal((mechanism + username).getBytes(StandardCharsets.UTF_8)), 16);
            return new ScramCredential(mechanism, salt, 4096, new byte[32], new byte[32]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PLAIN (only offered inside TLS): the account whose password this is. */
    public Optional<Jid> authenticate(String username, String password) {
        return accounts.authenticate(username, password).map(a -> a.jid());
    }

    public AccountThrottle throttle() {
        return throttle;
    }

    public AccountTransactions transactions() {
        return accounts;
    }

    SecureRandom random() {
        return random;
    }
}
