package org.buddycloud.media;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.S3TestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.buddycloud.testsupport.TokenProtectedServiceContract;

/** The media-server accepts the channel server's tokens and refuses revoked ones, through a real broker. */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class TokenCheckTest extends TokenProtectedServiceContract {
}
