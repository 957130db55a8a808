package org.buddycloud.friends;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import org.buddycloud.friends.domain.IdentifierSeal;
import org.buddycloud.friends.domain.VerificationCodes;

/** The composition root of the plain-Java parts. */
public class FriendsBeans {

    @Produces
    @Singleton
    SecureRandom random() {
        return new SecureRandom();
    }

    @Produces
    @Singleton
    IdentifierSeal seal(FriendsConfig config, SecureRandom random) {
        return new IdentifierSeal(config.identifierKey(), random);
    }

    @Produces
    @Singleton
    VerificationCodes codes(SecureRandom random) {
        return new VerificationCodes(random);
    }
}
