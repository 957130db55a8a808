package org.buddycloud.push;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.buddycloud.testsupport.FcmTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.buddycloud.testsupport.TokenProtectedServiceContract;

/** The push-server accepts the channel server's tokens and refuses revoked ones, through a real broker. */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(FcmTestResource.class)
@WithTestResource(GreenMailTestResource.class)
class TokenCheckTest extends TokenProtectedServiceContract {
}
