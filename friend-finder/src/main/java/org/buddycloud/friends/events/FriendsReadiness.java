package org.buddycloud.friends.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.friends.delivery.SmsProvider;
import org.buddycloud.friends.xmpp.FriendsComponent;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once account deletions are applied up to where the topic ended at start; says whether SMS and XMPP are on. */
@Readiness
@ApplicationScoped
public class FriendsReadiness implements HealthCheck {

    private final DeletedAccounts accounts;
    private final SmsProvider sms;
    private final FriendsComponent xmpp;

    FriendsReadiness(DeletedAccounts accounts, SmsProvider sms, FriendsComponent xmpp) {
        this.accounts = accounts;
        this.sms = sms;
        this.xmpp = xmpp;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("friends")
                .status(accounts.caughtUp() && !accounts.failing())
                .withData("deleted accounts", accounts.failing() ? "failing" : accounts.caughtUp() ? "caught up" : "catching up")
                .withData("sms", sms.configured() ? "configured" : "off (phone numbers cannot be claimed)")
                .withData("xmpp", !xmpp.configured() ? "off" : xmpp.online() ? "connected" : "connecting")
                .build();
    }
}
