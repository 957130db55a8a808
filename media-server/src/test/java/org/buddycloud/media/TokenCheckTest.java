package org.buddycloud.media;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.buddycloud.localstack.testing.PostgresTestResource;
import org.buddycloud.localstack.testing.S3TestResource;
import org.buddycloud.localstack.testing.ServiceTestStack;
import org.buddycloud.localstack.testing.TokenProtectedServiceContract;

/** The media-server accepts the channel server's tokens and refuses revoked ones, through a real broker. */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class TokenCheckTest extends TokenProtectedServiceContract {
}
