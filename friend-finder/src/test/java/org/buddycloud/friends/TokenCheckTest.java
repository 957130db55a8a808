package org.buddycloud.friends;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.TokenProtectedServiceContract;

/** The friend finder accepts the channel server's tokens and refuses revoked ones, through a real broker. */
@QuarkusTest
@WithTestResource(FriendsTestStack.class)
@WithTestResource(PostgresTestResource.class)
class TokenCheckTest extends TokenProtectedServiceContract {
}
